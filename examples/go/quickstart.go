// Quick start: load rows exactly once into shop.orders (a Primary Key table), surviving restarts.
// Build: go get github.com/srsink/starrocks-sink/bindings/go@v1.2.0 && go build (needs libsr-sink-dev)
// Run:   SR_URL=http://fe:8030 SR_USER=loader SR_PASSWORD=... ./quickstart quickstart.state
// Every run restores the token stored by the last one, writes three rows and commits them.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	srsink "github.com/srsink/starrocks-sink/bindings/go"
)

// loadState reads "<checkpoint id>\n<token bytes>"; 0 and no token on the first run.
func loadState(path string) (int64, []byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil, nil
	} else if err != nil {
		return 0, nil, err
	}
	head, token, _ := bytes.Cut(data, []byte("\n"))
	ckpt, err := strconv.ParseInt(string(head), 10, 64)
	return ckpt, token, err
}

// storeState writes durably: a temporary file, fsync, rename over the old state.
func storeState(path string, ckpt int64, token []byte) error {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(append([]byte(strconv.FormatInt(ckpt, 10)+"\n"), token...))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

func run(url, state string) (int64, error) {
	ckpt, token, err := loadState(state)
	if err != nil {
		return 0, err
	}
	conn, err := srsink.NewConnector()
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	options := fmt.Sprintf(`{"http_url":%q,"execution_mode":"on_checkpoint"}`, url)
	err = conn.AddSink("shop.*", options, func(req srsink.CredentialsRequest) (srsink.Credentials, error) {
		user := os.Getenv("SR_USER")
		if user == "" {
			user = "root"
		}
		return srsink.Credentials{User: user, Password: os.Getenv("SR_PASSWORD")}, nil
	})
	if err != nil {
		return 0, err
	}
	// Open commits what the token names and rolls back the rest.
	sink, err := conn.Open(srsink.OpenParams{Table: "shop.orders", Columns: []string{"id", "name", "amount"},
		InstanceID: "examples/go-quickstart/0", RestoreToken: token})
	if err != nil {
		return 0, err
	}
	defer sink.Close()
	err = sink.Upsert(map[string]any{"id": 2*ckpt + 1, "name": "a", "amount": "1.50"},
		map[string]any{"id": 2*ckpt + 2, "name": "b", "amount": "2.00"})
	if err == nil {
		err = sink.Delete(map[string]any{"id": 0})
	}
	if err != nil {
		return 0, err
	}
	token, err = sink.OnCheckpoint(ckpt + 1) // prepared, not yet visible
	if err != nil {
		return 0, err
	}
	if err := storeState(state, ckpt+1, token); err != nil {
		return 0, fmt.Errorf("cannot store %s (%w); the next run rolls checkpoint %d back", state, err, ckpt+1)
	}
	if err := sink.Commit(ckpt + 1); err != nil { // durable at the host: now visible
		return 0, err
	}
	return ckpt + 1, sink.Close()
}

func main() {
	url := os.Getenv("SR_URL")
	if url == "" {
		fmt.Fprintln(os.Stderr, "set SR_URL to the FE, e.g. http://127.0.0.1:8030")
		os.Exit(2)
	}
	state := "quickstart.state"
	if len(os.Args) > 1 {
		state = os.Args[1]
	}
	ckpt, err := run(url, state)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	fmt.Printf("checkpoint %d committed\n", ckpt)
}
