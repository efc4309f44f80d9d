package srarrow_test

// A real sr-emulator process per test (the same fixture as the srsink module's, which a test of
// another module cannot import).

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

type emulator struct {
	t    *testing.T
	port int
}

func requiredPath(t *testing.T, name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "..", fallback)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	t.Fatalf("%s is not set and %s does not exist: set %s (ctest does)", name, p, name)
	return ""
}

func startEmulator(t *testing.T) *emulator {
	t.Helper()
	exe := requiredPath(t, "SR_EMULATOR", "build/default/tools/sr-emulator/sr-emulator")
	catalog := filepath.Join(requiredPath(t, "SR_CONFORMANCE_DIR", "tests/conformance"), "catalog.json")
	dir := t.TempDir()
	cmd := exec.Command(exe, "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
		"--catalog", catalog, "--data-dir", dir)
	logFile, err := os.Create(filepath.Join(dir, "emulator.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start %s (SR_EMULATOR): %v", exe, err)
	}
	waited := make(chan struct{})
	line, readErr := bufio.NewReader(stdout).ReadString('\n')
	go func() {
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		logFile.Close()
		close(waited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-waited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-waited
		}
	})
	var ready struct {
		FEPort int `json:"fe_port"`
	}
	if err := json.Unmarshal([]byte(line), &ready); err != nil || ready.FEPort == 0 {
		t.Fatalf("emulator did not print its ready line (%v, %v): %q", readErr, err, line)
	}
	return &emulator{t: t, port: ready.FEPort}
}

func (e *emulator) url() string { return fmt.Sprintf("http://127.0.0.1:%d", e.port) }

func (e *emulator) opts() string {
	return fmt.Sprintf(`{"http_url":%q,"execution_mode":"on_watermark","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10}`, e.url())
}

func (e *emulator) do(method, path, body string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url()+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// createTable creates db.table (a Primary Key table keyed by "id") with columns [name, type].
func (e *emulator) createTable(db, table string, columns [][2]string) {
	e.t.Helper()
	var cols []string
	for _, c := range columns {
		key := c[0] == "id"
		cols = append(cols, fmt.Sprintf(`{"name":%q,"type":%q,"key":%v,"nullable":%v}`, c[0], c[1], key, !key))
	}
	body := fmt.Sprintf(`{"db":%q,"table":%q,"keys_type":"PRIMARY_KEYS","columns":[%s]}`, db, table, strings.Join(cols, ","))
	if code, resp := e.do("POST", "/_emulator/tables", body); code != 200 {
		e.t.Fatalf("create %s.%s: %d %s", db, table, code, resp)
	}
}

func (e *emulator) dump(db, table string) []string {
	e.t.Helper()
	code, body := e.do("GET", fmt.Sprintf("/_emulator/tables/%s/%s/rows", db, table), "")
	if code != 200 {
		e.t.Fatalf("dump %s.%s: %d %s", db, table, code, body)
	}
	var rows []string
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) != "" {
			rows = append(rows, l)
		}
	}
	return rows
}
