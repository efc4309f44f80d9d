package srsink

// The conformance fixture: one real sr-emulator process per scenario
// (tests/conformance/SCENARIOS.md).

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
	t      *testing.T
	cmd    *exec.Cmd
	port   int
	dir    string
	waited chan struct{}
}

// repoRoot is bindings/go/../.. (for the build-tree fallbacks).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// requiredPath: the variable, else a build/default fallback; fails (never skips) naming the
// variable when neither exists.
func requiredPath(t testing.TB, name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	p := filepath.Join(repoRoot(), fallback)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	t.Fatalf("%s is not set and %s does not exist: set %s (ctest does) to run the conformance suite", name, p, name)
	return ""
}

func startEmulator(t *testing.T, extra ...string) *emulator {
	t.Helper()
	exe := requiredPath(t, "SR_EMULATOR", "build/default/tools/sr-emulator/sr-emulator")
	catalog := filepath.Join(requiredPath(t, "SR_CONFORMANCE_DIR", "tests/conformance"), "catalog.json")
	dir := t.TempDir()
	args := append([]string{"--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
		"--catalog", catalog, "--data-dir", filepath.Join(dir, "data")}, extra...)
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(dir, "emulator.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start %s (SR_EMULATOR): %v", exe, err)
	}
	e := &emulator{t: t, cmd: cmd, dir: dir, waited: make(chan struct{})}
	// Blocks until the emulator prints its ports (or exits: then the read fails).
	line, readErr := bufio.NewReader(stdout).ReadString('\n')
	go func() {
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		logFile.Close()
		close(e.waited)
	}()
	t.Cleanup(e.stop)
	var ready struct {
		FEPort int `json:"fe_port"`
	}
	if err := json.Unmarshal([]byte(line), &ready); err != nil || ready.FEPort == 0 {
		log, _ := os.ReadFile(filepath.Join(dir, "emulator.log"))
		t.Fatalf("emulator did not print its ready line (%v, %v): %q\n%s", readErr, err, line, log)
	}
	e.port = ready.FEPort
	return e
}

// stop: SIGTERM, wait for exit, SIGKILL after 10 s.
func (e *emulator) stop() {
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.waited:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.waited
	}
}

func (e *emulator) url() string { return fmt.Sprintf("http://127.0.0.1:%d", e.port) }

// opts is OPTS(mode) of SCENARIOS.md plus extra members (`"key":value,...`).
func (e *emulator) opts(mode string, extra ...string) string {
	s := fmt.Sprintf(`{"http_url":%q,"execution_mode":%q,"label_prefix":"conf","max_retries":2,"retry_backoff_ms":10`, e.url(), mode)
	for _, x := range extra {
		s += "," + x
	}
	return s + "}"
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
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, string(b)
}

// dump is the table's rows as the emulator prints them, one canonical JSON line each.
func (e *emulator) dump(db, table string) []string {
	e.t.Helper()
	code, body := e.do("GET", fmt.Sprintf("/_emulator/tables/%s/%s/rows", db, table), "")
	if code != 200 {
		e.t.Fatalf("dump %s.%s: %d %s", db, table, code, body)
	}
	lines := []string{}
	for _, l := range strings.Split(body, "\n") {
		if l = strings.TrimRight(l, "\r "); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

type labelInfo struct {
	State   string `json:"state"`
	TxnID   int64  `json:"txn_id"`
	Commits int    `json:"commits"`
	Table   string `json:"table"`
	Kind    string `json:"kind"`
}

type emuStats struct {
	Tables map[string]struct {
		Rows  int `json:"rows"`
		Loads int `json:"loads"`
	} `json:"tables"`
	Labels map[string]map[string]labelInfo `json:"labels"`
}

func (e *emulator) stats() emuStats {
	e.t.Helper()
	code, body := e.do("GET", "/_emulator/stats", "")
	if code != 200 {
		e.t.Fatalf("stats: %d %s", code, body)
	}
	var s emuStats
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		e.t.Fatalf("stats: %v: %s", err, body)
	}
	return s
}

// txnLabels are the transaction labels of db shop.
func (e *emulator) txnLabels() map[string]labelInfo {
	out := map[string]labelInfo{}
	for l, info := range e.stats().Labels["shop"] {
		if info.Kind == "transaction" {
			out[l] = info
		}
	}
	return out
}

// gettid identifies the OS thread a callback runs on.
func gettid() int { return syscall.Gettid() }

// fault installs one fault (EMULATOR-CONTRACT.md) and returns its id.
func (e *emulator) fault(spec string) int {
	e.t.Helper()
	code, body := e.do("POST", "/_emulator/faults", spec)
	var r struct {
		ID int `json:"id"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &r) != nil {
		e.t.Fatalf("fault %s: %d %s", spec, code, body)
	}
	return r.ID
}

// waitFaultHit waits until fault id has affected a request: the event that a call is now blocked
// in it. Polls the admin API (the emulator offers no push); fails after 60 s.
func (e *emulator) waitFaultHit(id int) {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, body := e.do("GET", "/_emulator/faults", "")
		var faults []struct {
			ID   int `json:"id"`
			Hits int `json:"hits"`
		}
		if err := json.Unmarshal([]byte(body), &faults); err != nil {
			e.t.Fatalf("faults: %v: %s", err, body)
		}
		for _, f := range faults {
			if f.ID == id && f.Hits > 0 {
				return
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("fault %d never hit: %s", id, body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
