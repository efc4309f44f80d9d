package srsink_test

// A tour of the API for godoc, compiled by `go test` (no Output comment: it is not run). The
// README's quick start is examples/go/quickstart.go, run by ctest (example_go_quickstart).

import (
	"errors"
	"log"
	"os"

	srsink "github.com/srsink/starrocks-sink/bindings/go"
)

func Example_quickStart() {
	// 1. open a connector; log lines may arrive on library threads
	conn, err := srsink.NewConnector(srsink.WithLogger(srsink.LogInfo, func(level srsink.LogLevel, msg string) {
		log.Printf("sr_sink[%d] %s", level, msg)
	}))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	// 2. register a sink by glob over "db.table" with a credentials func
	err = conn.AddSink("shop.*", `{"http_url":"http://127.0.0.1:8030","execution_mode":"on_checkpoint"}`,
		func(req srsink.CredentialsRequest) (srsink.Credentials, error) {
			return srsink.Credentials{User: "root", Password: os.Getenv("STARROCKS_PASSWORD")}, nil
		})
	if err != nil {
		log.Fatal(err)
	}

	// 3. open a sink for a table; 6. recover from the token of the last durable checkpoint
	restore, _ := os.ReadFile("checkpoint.token") // nil on a fresh start
	sink, err := conn.Open(srsink.OpenParams{
		Table:        "shop.orders",
		Columns:      []string{"id", "name", "amount"},
		InstanceID:   "job1/op3/subtask0",
		RestoreToken: restore,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer sink.Close()

	// 4. upserts and deletes
	if err := sink.Upsert(map[string]any{"id": 1, "name": "alice", "amount": "10.50"},
		[]byte(`{"id":2,"name":"bob","amount":"20.00"}`)); err != nil {
		log.Fatal(err)
	}
	if err := sink.Delete(map[string]any{"id": 2}); err != nil {
		log.Fatal(err)
	}

	// 5. checkpoint: prepare, store the token with the checkpoint, then commit
	token, err := sink.OnCheckpoint(1)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("checkpoint.token", token, 0o600); err != nil {
		log.Fatal(err)
	}
	if err := sink.Commit(1); err != nil {
		var se *srsink.Error
		if errors.As(err, &se) && se.Retryable {
			log.Print("retry the commit later")
		}
		log.Fatal(err)
	}
}
