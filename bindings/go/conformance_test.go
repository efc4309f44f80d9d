package srsink

// The binding conformance scenarios (tests/conformance/SCENARIOS.md), each against a fresh real
// sr-emulator process. Test names carry the scenario ids.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	r1      = `{"id":1,"name":"alice","amount":"10.50"}`
	r2      = `{"id":2,"name":"bob","amount":"20.00"}`
	r3      = `{"id":3,"name":"carol","amount":"30.25"}`
	r2b     = `{"id":2,"name":"bobby","amount":"21.00"}`
	d1      = `{"id":1}`
	r1Dump  = `{"id":1,"name":"alice","amount":10.50}`
	r2Dump  = `{"id":2,"name":"bob","amount":20.00}`
	r3Dump  = `{"id":3,"name":"carol","amount":30.25}`
	wmMode  = "on_watermark"
	ckpMode = "on_checkpoint"
)

var orderColumns = []string{"id", "name", "amount"}

func root(CredentialsRequest) (Credentials, error) { return Credentials{User: "root"}, nil }

func newConnector(t *testing.T, e *emulator, mode string, opts ...ConnectorOption) *Connector {
	t.Helper()
	c, err := NewConnector(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.AddSink("shop.*", e.opts(mode), root); err != nil {
		t.Fatal(err)
	}
	return c
}

func openOrders(t *testing.T, c *Connector) *Sink {
	t.Helper()
	s, err := c.Open(OpenParams{Table: "shop.orders", Columns: orderColumns})
	if err != nil {
		t.Fatalf("open shop.orders: %v", err)
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode asserts err is an *Error with code and returns it.
func wantCode(t *testing.T, err error, code Code) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want %s, got %v", code.Name(), err)
	}
	if e.Code != code || !errors.Is(err, code) {
		t.Fatalf("want %s, got %v", code.Name(), err)
	}
	return e
}

func wantDump(t *testing.T, e *emulator, db, table string, want ...string) {
	t.Helper()
	got := e.dump(db, table)
	if want == nil {
		want = []string{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("dump %s.%s:\n got %q\nwant %q", db, table, got, want)
	}
}

func containsCI(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// ---- C01 ---------------------------------------------------------------------------------------

func TestC01VersionAndNames(t *testing.T) {
	if LibraryABIVersion()>>16 != 1 || ABIVersion>>16 != 1 {
		t.Fatalf("ABI versions %x / %x", LibraryABIVersion(), ABIVersion)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(Version()) {
		t.Fatalf("version %q", Version())
	}
	for code, name := range map[int32]string{0: "SR_SINK_OK", 2: "SR_SINK_E_CONFIG", 3: "SR_SINK_E_NO_ROUTE",
		18: "SR_SINK_E_INTERNAL", 999: "SR_SINK_E_UNKNOWN"} {
		if got := StatusName(code); got != name {
			t.Errorf("StatusName(%d) = %q, want %q", code, got, name)
		}
	}
	if ErrConfig.Name() != "SR_SINK_E_CONFIG" || BuildInfo() == "" {
		t.Errorf("names: %q %q", ErrConfig.Name(), BuildInfo())
	}
	// The process runs the library the build produced (ctest names its directory).
	if dir := os.Getenv("SR_SINK_LIBRARY_DIR"); dir != "" {
		maps, err := os.ReadFile("/proc/self/maps")
		must(t, err)
		want, _ := filepath.EvalSymlinks(dir)
		found := []string{}
		for _, l := range strings.Split(string(maps), "\n") {
			f := strings.Fields(l)
			if len(f) >= 6 && strings.Contains(f[5], "libsr_sink") {
				found = append(found, f[5])
				if filepath.Dir(f[5]) == want {
					return
				}
			}
		}
		t.Fatalf("libsr_sink loaded from %v, not from %s", found, want)
	}
}

// ---- C02 ---------------------------------------------------------------------------------------

func TestC02ABIMajorRefusal(t *testing.T) {
	if got := rawGetVtable(2 << 16); got != int32(ErrVersion) {
		t.Fatalf("sr_sink_get_vtable(2<<16) = %d, want %d", got, ErrVersion)
	}
	var checkErr, newErr error
	withLibraryABIVersion(2<<16, func() {
		checkErr = CheckABI()
		var c *Connector
		c, newErr = NewConnector()
		if c != nil {
			c.Close()
		}
	})
	e := wantCode(t, checkErr, ErrVersion)
	if !strings.Contains(e.Message, "1") || !strings.Contains(e.Message, "2") || !containsCI(e.Message, "major") {
		t.Fatalf("message %q", e.Message)
	}
	wantCode(t, newErr, ErrVersion)
	must(t, CheckABI()) // outside the hook the real library is accepted
}

// ---- C03 ---------------------------------------------------------------------------------------

func TestC03BadOptionsNameTheKey(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c, err := NewConnector()
	must(t, err)
	defer c.Close()
	cases := []struct{ opts, key string }{
		{e.opts(wmMode, `"batch_max_rows":-1`), "batch_max_rows"},
		{e.opts(wmMode, `"http_urls":"x"`), "http_urls"},
		{`{"execution_mode":"on_watermark"}`, "http_url"},
		{e.opts("sometimes"), "execution_mode"},
		{"not json", ""},
	}
	for _, tc := range cases {
		err := wantCode(t, c.AddSink("shop.*", tc.opts, root), ErrConfig)
		if !strings.Contains(err.Message, tc.key) {
			t.Errorf("%v does not name %s", err, tc.key)
		}
	}
	_, err = c.Open(OpenParams{Table: "shop.orders", Columns: orderColumns})
	wantCode(t, err, ErrNoRoute)
}

// ---- C04 ---------------------------------------------------------------------------------------

func TestC04NoRouteAndFirstGlobWins(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	_, err := c.Open(OpenParams{Table: "other.t", Columns: []string{"id"}})
	if err := wantCode(t, err, ErrNoRoute); !strings.Contains(err.Message, "other.t") {
		t.Fatal(err)
	}
	c2, err := NewConnector()
	must(t, err)
	defer c2.Close()
	must(t, c2.AddSink("shop.orders", e.opts(wmMode), root))
	dead := `{"http_url":"http://127.0.0.1:1","execution_mode":"on_watermark","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10}`
	must(t, c2.AddSink("*", dead, root))
	s := openOrders(t, c2)
	must(t, s.Close())
}

// ---- C05 ---------------------------------------------------------------------------------------

func TestC05SchemaErrorsAtOpen(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	cases := []struct {
		table   string
		columns []string
		want    []string
	}{
		{"shop.events", []string{"id", "payload"}, []string{"shop.events", "primary key"}},
		{"shop.missing", []string{"id"}, []string{"shop.missing"}},
		{"shop.orders", []string{"id", "name", "nosuch"}, []string{"nosuch"}},
		{"shop.orders", []string{"name", "amount"}, []string{"id"}},
	}
	for _, tc := range cases {
		_, err := c.Open(OpenParams{Table: tc.table, Columns: tc.columns})
		e := wantCode(t, err, ErrSchema)
		for _, w := range tc.want {
			ok := strings.Contains(e.Message, w)
			if w == "primary key" {
				ok = containsCI(e.Message, w)
			}
			if !ok {
				t.Errorf("open %s %v: %v does not name %q", tc.table, tc.columns, e, w)
			}
		}
	}
}

// ---- C06 ---------------------------------------------------------------------------------------

type order struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Amount string `json:"amount"`
}

func TestC06UpsertsAndDeletesLand(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	must(t, s.Upsert(order{1, "alice", "10.50"}, map[string]any{"id": 2, "name": "bob", "amount": "20.00"},
		order{3, "carol", "30.25"}))
	must(t, s.OnWatermark(1))
	must(t, s.WriteRows([]any{[]byte(r2b), d1}, []Op{Upsert, Delete}))
	must(t, s.OnWatermark(2))
	wantDump(t, e, "shop", "orders", `{"id":2,"name":"bobby","amount":21.00}`, r3Dump)

	cu, err := c.Open(OpenParams{Table: "shop.customers", Columns: []string{"region", "id", "name", "vip"}})
	must(t, err)
	var b Batch
	must(t, b.Upsert(map[string]any{"region": "eu", "id": 1, "name": "x", "vip": true}))
	must(t, b.Upsert(json.RawMessage(`{"region":"us","id":1,"name":"y","vip":false}`)))
	must(t, b.Delete(map[string]any{"region": "eu", "id": 1}))
	must(t, cu.Write(&b))
	must(t, cu.OnWatermark(3))
	wantDump(t, e, "shop", "customers", `{"region":"us","id":1,"name":"y","vip":false}`)
}

// ---- C07 ---------------------------------------------------------------------------------------

func TestC07OnWatermarkVisibility(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	must(t, s.Upsert(r1))
	wantDump(t, e, "shop", "orders")
	must(t, s.OnWatermark(10))
	wantDump(t, e, "shop", "orders", r1Dump)

	before := e.stats().Tables["shop.orders"].Loads
	must(t, s.OnWatermark(11))
	if after := e.stats().Tables["shop.orders"].Loads; after != before {
		t.Fatalf("an empty watermark loaded: %d → %d", before, after)
	}
	n := 0
	for l, info := range e.stats().Labels["shop"] {
		if info.Kind != "stream_load" {
			continue
		}
		n++
		if !strings.HasPrefix(l, "conf-") || info.State != "VISIBLE" || info.Commits != 1 {
			t.Errorf("label %s: %+v", l, info)
		}
	}
	if n == 0 {
		t.Fatal("no stream_load label")
	}
	st, err := s.Stats()
	must(t, err)
	if st.RowsWritten != 1 || st.Loads < 1 || st.RowsLoaded != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// ---- C08 ---------------------------------------------------------------------------------------

func openOrdersAs(c *Connector, instance string, token []byte) (*Sink, error) {
	return c.Open(OpenParams{Table: "shop.orders", Columns: orderColumns, InstanceID: instance, RestoreToken: token})
}

func TestC08OnCheckpointTokenCommitVisible(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, ckpMode)
	s, err := openOrdersAs(c, "conf/c08/0", nil)
	must(t, err)
	must(t, s.Upsert(r1, r2))
	token, err := s.OnCheckpoint(1)
	must(t, err)
	if len(token) == 0 {
		t.Fatal("empty token")
	}
	wantDump(t, e, "shop", "orders")
	labels := e.txnLabels()
	if len(labels) != 1 {
		t.Fatalf("labels %+v", labels)
	}
	var l1 string
	for l, info := range labels {
		l1 = l
		if info.State != "PREPARED" {
			t.Fatalf("label %s: %+v", l, info)
		}
	}
	must(t, s.Commit(1))
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
	if info := e.txnLabels()[l1]; info.State != "VISIBLE" || info.Commits != 1 {
		t.Fatalf("after commit: %+v", info)
	}
	must(t, s.Commit(1))
	if info := e.txnLabels()[l1]; info.Commits != 1 {
		t.Fatalf("after a second commit: %+v", info)
	}
	must(t, s.Upsert(r3))
	_, err = s.OnCheckpoint(2)
	must(t, err)
	must(t, s.OnWatermark(5)) // a no-op in this mode
	must(t, s.Abort(2))
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
	later := e.txnLabels()
	delete(later, l1)
	if len(later) != 1 {
		t.Fatalf("labels %+v", later)
	}
	for l, info := range later {
		if info.State != "ABORTED" {
			t.Fatalf("checkpoint-2 label %s: %+v", l, info)
		}
	}

	// ABI 1.1: after abort the sink is failed; only close (and reopen) is useful.
	_, ckpErr := s.OnCheckpoint(3)
	for _, err := range []error{s.Upsert(r3), ckpErr, s.Commit(2)} {
		se := wantCode(t, err, ErrState)
		if se.Code.Name() != "SR_SINK_E_STATE" || !containsCI(se.Message, "aborted") || !strings.Contains(se.Message, "2") {
			t.Fatalf("after abort: %v", se)
		}
	}
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
	must(t, s.Close())
}

// ---- C09 ---------------------------------------------------------------------------------------

// c09Child runs in a re-executed copy of the test binary and is killed by the parent.
func c09Child(t *testing.T, port, tokenPath string) {
	opts := fmt.Sprintf(`{"http_url":"http://127.0.0.1:%s","execution_mode":"on_checkpoint","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10}`, port)
	c, err := NewConnector()
	must(t, err)
	must(t, c.AddSink("shop.*", opts, root))
	s, err := openOrdersAs(c, "conf/c09/0", nil)
	must(t, err)
	must(t, s.Upsert(r1, r2))
	token, err := s.OnCheckpoint(1)
	must(t, err)
	f, err := os.Create(tokenPath + ".tmp")
	must(t, err)
	_, err = f.Write(token)
	must(t, err)
	must(t, f.Sync())
	must(t, f.Close())
	must(t, os.Rename(tokenPath+".tmp", tokenPath))
	must(t, s.Upsert(r3))
	_, err = s.OnCheckpoint(2) // prepared, but its token never becomes durable
	must(t, err)
	fmt.Println("C09-READY")
	for {
		time.Sleep(time.Hour) // until SIGKILL
	}
}

// killChildWhenReady runs test of this binary again as a child writer (env SR_CONF_<tag>_PORT and
// _TOKEN), waits until it prints "<tag>-READY" (it stored its token and blocks), then SIGKILLs it.
func killChildWhenReady(t *testing.T, test, tag string, e *emulator, tokenPath, reached string) {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run", "^"+test+"$", "-test.v")
	child.Env = append(os.Environ(), fmt.Sprintf("SR_CONF_%s_PORT=%d", tag, e.port), "SR_CONF_"+tag+"_TOKEN="+tokenPath)
	out, err := child.StdoutPipe()
	must(t, err)
	var childErr bytes.Buffer
	child.Stderr = &childErr
	must(t, child.Start())
	// Watchdog: a child that neither gets ready nor exits fails the test, not hangs it.
	watchdog := time.AfterFunc(120*time.Second, func() { _ = child.Process.Kill() })
	ready := false
	var seen []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if strings.Contains(sc.Text(), tag+"-READY") {
			ready = true
			break
		}
	}
	timedOut := !watchdog.Stop()
	_ = child.Process.Kill() // SIGKILL
	_ = child.Wait()
	if timedOut {
		t.Fatalf("the child did not reach %s within 120 s", reached)
	}
	if !ready {
		t.Fatalf("the child exited before %s:\n%s\n%s", reached, strings.Join(seen, "\n"), childErr.String())
	}
}

func TestC09RecoveryAfterTheHostProcessIsKilled(t *testing.T) {
	if port := os.Getenv("SR_CONF_C09_PORT"); port != "" {
		c09Child(t, port, os.Getenv("SR_CONF_C09_TOKEN"))
		return
	}
	t.Parallel()
	e := startEmulator(t)
	tokenPath := filepath.Join(e.dir, "token")
	killChildWhenReady(t, "TestC09RecoveryAfterTheHostProcessIsKilled", "C09", e, tokenPath, "checkpoint 2")

	wantDump(t, e, "shop", "orders")
	prepared := 0
	for _, info := range e.txnLabels() {
		if info.State == "PREPARED" {
			prepared++
		}
	}
	if prepared != 2 {
		t.Fatalf("want 2 PREPARED labels: %+v", e.txnLabels())
	}

	token, err := os.ReadFile(tokenPath)
	must(t, err)
	c := newConnector(t, e, ckpMode)
	s, err := openOrdersAs(c, "conf/c09/0", token)
	must(t, err)
	if got := e.dump("shop", "orders"); !reflect.DeepEqual(got, []string{r1Dump, r2Dump}) {
		t.Fatalf("after recovery: dump %q, labels %+v, token %s", got, e.txnLabels(), token)
	}
	var l1 string
	for l, info := range e.txnLabels() {
		switch info.State {
		case "VISIBLE":
			if l1 != "" || info.Commits != 1 {
				t.Fatalf("labels %+v", e.txnLabels())
			}
			l1 = l
		case "PREPARE", "PREPARED":
			t.Fatalf("leftover %s: %+v", l, info)
		}
	}
	if l1 == "" {
		t.Fatalf("no VISIBLE label: %+v", e.txnLabels())
	}

	must(t, s.Upsert(r3))
	t3, err := s.OnCheckpoint(3)
	must(t, err)
	var l3 string
	for l, info := range e.txnLabels() {
		if info.State == "PREPARED" {
			l3 = l
		}
	}
	if l3 == "" {
		t.Fatalf("no checkpoint-3 label: %+v", e.txnLabels())
	}
	must(t, s.Commit(3))
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump, r3Dump)
	must(t, s.Close())

	// A second recovery, of an already committed checkpoint, is idempotent.
	s, err = openOrdersAs(c, "conf/c09/0", t3)
	must(t, err)
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump, r3Dump)
	if labels := e.txnLabels(); labels[l3].Commits != 1 || labels[l1].Commits != 1 {
		t.Fatalf("second recovery: %+v", labels)
	}
	must(t, s.Close())

	// Restoring the older checkpoint 1 now would apply checkpoint 3's rows twice: refused.
	_, err = openOrdersAs(c, "conf/c09/0", token)
	if re := wantCode(t, err, ErrRecovery); !re.Fatal {
		t.Fatalf("not fatal: %v", re)
	}
	if info := e.txnLabels()[l1]; info.Commits != 1 {
		t.Fatalf("after the refused restore: %+v", info)
	}
}

// ---- C10 ---------------------------------------------------------------------------------------

func TestC10CredentialsCalledAndRotatedAfter401(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, "--users", "root:,alice:pw1")
	var mu sync.Mutex
	store, cached := "pw1", "pw1"
	type call struct {
		table string
		after bool
	}
	var calls []call
	c, err := NewConnector()
	must(t, err)
	defer c.Close()
	must(t, c.AddSink("shop.*", e.opts(wmMode), func(req CredentialsRequest) (Credentials, error) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, call{req.Table, req.AfterAuthFailure})
		if req.AfterAuthFailure {
			cached = store
		}
		return Credentials{User: "alice", Password: cached}, nil
	}))
	s := openOrders(t, c)
	mu.Lock()
	if len(calls) == 0 {
		t.Fatal("credentials func not called at open")
	}
	for _, cl := range calls {
		if cl.table != "shop.orders" {
			t.Fatalf("calls %+v", calls)
		}
	}
	mu.Unlock()
	if code, body := e.do("POST", "/_emulator/users", `{"user":"alice","password":"pw2"}`); code != 200 {
		t.Fatalf("rotate: %d %s", code, body)
	}
	mu.Lock()
	store = "pw2"
	mu.Unlock()
	must(t, s.Upsert(r1))
	must(t, s.OnWatermark(1))
	mu.Lock()
	rotated := false
	for _, cl := range calls {
		rotated = rotated || cl.after
	}
	mu.Unlock()
	if !rotated {
		t.Fatal("never asked again after the 401")
	}
	wantDump(t, e, "shop", "orders", r1Dump)

	var messages []string
	wrong, err := NewConnector()
	must(t, err)
	defer wrong.Close()
	must(t, wrong.AddSink("shop.*", e.opts(wmMode), func(CredentialsRequest) (Credentials, error) {
		return Credentials{User: "alice", Password: "wrong"}, nil
	}))
	_, err = wrong.Open(OpenParams{Table: "shop.orders", Columns: orderColumns})
	if ae := wantCode(t, err, ErrAuth); ae.HTTPStatus != 401 {
		t.Fatalf("http status: %v", ae)
	}
	messages = append(messages, err.Error())

	failing, err := NewConnector()
	must(t, err)
	defer failing.Close()
	must(t, failing.AddSink("shop.*", e.opts(wmMode), func(CredentialsRequest) (Credentials, error) {
		return Credentials{}, errors.New("secret store unreachable")
	}))
	_, err = failing.Open(OpenParams{Table: "shop.orders", Columns: orderColumns})
	wantCode(t, err, ErrAuth)
	messages = append(messages, err.Error())
	for _, m := range messages {
		for _, secret := range []string{"pw1", "pw2", "wrong"} {
			if strings.Contains(m, secret) {
				t.Errorf("%q leaks %s", m, secret)
			}
		}
	}
}

// ---- C11 ---------------------------------------------------------------------------------------

func TestC11LogLinesFromALibraryThread(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, "--users", "root:,alice:s3cret")
	type line struct {
		level LogLevel
		msg   string
		tid   int
	}
	var mu sync.Mutex
	var lines []line
	// The test's calling thread: locked so that "another thread" is meaningful.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	me := gettid()
	c, err := NewConnector(WithLogger(LogDebug, func(level LogLevel, msg string) {
		tid := gettid()
		mu.Lock()
		lines = append(lines, line{level, msg, tid})
		mu.Unlock()
	}))
	must(t, err)
	must(t, c.AddSink("shop.*", e.opts(wmMode), func(CredentialsRequest) (Credentials, error) {
		return Credentials{User: "alice", Password: "s3cret"}, nil
	}))
	s := openOrders(t, c)
	must(t, s.Upsert(r1, r2))
	must(t, s.OnWatermark(1))
	must(t, s.Close())
	must(t, c.Close())
	mu.Lock()
	count := len(lines)
	got := append([]line(nil), lines...)
	mu.Unlock()
	if count == 0 {
		t.Fatal("no log line")
	}
	other := false
	for _, l := range got {
		other = other || l.tid != me
		if l.level < 1 || l.level > 4 || l.msg == "" || strings.Contains(l.msg, "\n") || strings.Contains(l.msg, "s3cret") {
			t.Errorf("bad line %+v", l)
		}
	}
	if !other {
		t.Fatal("no line from a library thread")
	}
	must(t, c.Close())
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != count {
		t.Fatal("a log line arrived after Close")
	}
}

// ---- C12 ---------------------------------------------------------------------------------------

func TestC12CloseTwiceAndUseAfterClose(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	must(t, s.Upsert(r1))
	must(t, s.OnWatermark(1))
	must(t, s.Close())
	must(t, s.Close())
	if !s.Closed() {
		t.Fatal("not closed")
	}
	if err := wantCode(t, s.Upsert(r2), ErrState); err.Code.Name() != "SR_SINK_E_STATE" {
		t.Fatal(err)
	}
	wantCode(t, s.OnWatermark(2), ErrState)
	_, err := s.OnCheckpoint(2)
	wantCode(t, err, ErrState)
	wantCode(t, s.Commit(2), ErrState)
	wantCode(t, s.Abort(2), ErrState)
	_, err = s.Stats()
	wantCode(t, err, ErrState)
	s.Cancel() // no-op once closed

	open := openOrders(t, c)
	must(t, c.Close())
	if !open.Closed() {
		t.Fatal("closing the connector left the sink open")
	}
	must(t, open.Close())
	wantCode(t, open.Upsert(r2), ErrState)
	must(t, c.Close())
	_, err = c.Open(OpenParams{Table: "shop.orders", Columns: orderColumns})
	wantCode(t, err, ErrState)

	// Deferred Close in either order.
	func() {
		c := newConnector(t, e, wmMode)
		defer c.Close()
		s := openOrders(t, c)
		defer s.Close()
	}()
	func() {
		c := newConnector(t, e, wmMode)
		s := openOrders(t, c)
		defer s.Close()
		defer c.Close()
	}()
	wantDump(t, e, "shop", "orders", r1Dump)
}

// ---- C13 ---------------------------------------------------------------------------------------

func TestC13MalformedRowsNameTheRowAndNothingIsTaken(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	de := wantCode(t, s.Upsert(r1, "[1,2]", r3), ErrData)
	if !regexp.MustCompile(`(?i)row\D{0,3}1\b`).MatchString(de.Message) || !de.Data {
		t.Fatalf("%v (data flag %v)", de, de.Data)
	}
	if de := wantCode(t, s.Upsert(`{"id":4,"__op":0}`), ErrData); !strings.Contains(de.Message, "__op") {
		t.Fatal(de)
	}
	must(t, s.Upsert(r2))
	must(t, s.OnWatermark(1))
	wantDump(t, e, "shop", "orders", r2Dump)
}

// ---- C14 ---------------------------------------------------------------------------------------

// strictConnector: OPTS + strict mode (without it StarRocks loads a value that fails conversion
// as NULL instead of filtering the row).
func strictConnector(t *testing.T, e *emulator) *Connector {
	c, err := NewConnector()
	must(t, err)
	t.Cleanup(func() { _ = c.Close() })
	must(t, c.AddSink("shop.*", e.opts(wmMode, `"properties":{"strict_mode":"true"}`), root))
	return c
}

func TestC14RejectedLoadCarriesTheLabel(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := strictConnector(t, e)
	s := openOrders(t, c)
	row := fmt.Sprintf(`{"id":9,"name":"%s","amount":"1.00"}`, strings.Repeat("x", 70))
	err := s.Upsert(row)
	if err == nil {
		err = s.OnWatermark(1)
	}
	var le *Error
	if !errors.As(err, &le) || (le.Code != ErrData && le.Code != ErrLoad) {
		t.Fatalf("want SR_SINK_E_DATA or SR_SINK_E_LOAD, got %v", err)
	}
	if le.Retryable || !strings.HasPrefix(le.Label, "conf-") || le.Message == "" {
		t.Fatalf("%+v", le)
	}
	wantDump(t, e, "shop", "orders")
}

// ---- C15 ---------------------------------------------------------------------------------------

func TestC15SinkStatistics(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	must(t, s.Upsert(r1, r2, r3))
	must(t, s.Delete(d1))
	must(t, s.OnWatermark(1))
	st, err := s.Stats()
	must(t, err)
	if st.RowsWritten != 4 || st.RowsDeleted != 1 || st.BytesWritten == 0 || st.Loads < 1 ||
		st.RowsLoaded != 4 || st.BufferedBytes != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// ---- C16 ---------------------------------------------------------------------------------------

func TestC16ConcurrentSinksOnHostThreads(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode, WithLogger(LogInfo, func(LogLevel, string) {}))
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		runtime.LockOSThread() // a host thread of its own
		s, err := c.Open(OpenParams{Table: "shop.orders", Columns: orderColumns})
		if err != nil {
			errs <- fmt.Errorf("A: %w", err)
			return
		}
		for start := 1; start <= 200; start += 50 {
			var b Batch
			for id := start; id < start+50; id++ {
				_ = b.Upsert(order{int64(id), fmt.Sprintf("a%d", id), "1.00"})
			}
			if err := s.Write(&b); err != nil {
				errs <- fmt.Errorf("A: %w", err)
				return
			}
		}
		if err := s.OnWatermark(1); err != nil {
			errs <- fmt.Errorf("A: %w", err)
			return
		}
		errs <- s.Close()
	}()
	go func() {
		defer wg.Done()
		runtime.LockOSThread()
		s, err := c.Open(OpenParams{Table: "shop.customers", Columns: []string{"region", "id", "name", "vip"}})
		if err != nil {
			errs <- fmt.Errorf("B: %w", err)
			return
		}
		var b Batch
		for id := 1; id <= 200; id++ {
			_ = b.Upsert(map[string]any{"region": "eu", "id": id, "name": fmt.Sprintf("b%d", id), "vip": false})
		}
		if err := s.Write(&b); err != nil {
			errs <- fmt.Errorf("B: %w", err)
			return
		}
		if err := s.OnWatermark(1); err != nil {
			errs <- fmt.Errorf("B: %w", err)
			return
		}
		errs <- s.Close()
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	for _, tc := range []struct{ table, prefix string }{{"orders", "a"}, {"customers", "b"}} {
		rows := e.dump("shop", tc.table)
		if len(rows) != 200 {
			t.Fatalf("%s: %d rows", tc.table, len(rows))
		}
		names := map[string]bool{}
		for _, r := range rows {
			var v struct{ Name string }
			must(t, json.Unmarshal([]byte(r), &v))
			names[v.Name] = true
		}
		for id := 1; id <= 200; id++ {
			if !names[fmt.Sprintf("%s%d", tc.prefix, id)] {
				t.Fatalf("%s: missing %s%d", tc.table, tc.prefix, id)
			}
		}
	}
}

// ---- Binding-specific checks -------------------------------------------------------------------

func TestB1TokenReleasedExactlyOnce(t *testing.T) {
	b, releases, cleared := takeFakeToken()
	if string(b) != `{"v":1,"txns":[]}` || releases != 1 || !cleared {
		t.Fatalf("bytes %q, releases %d, release cleared %v", b, releases, cleared)
	}
	b = nil
	runtime.GC() // dropping the host copy is harmless

	// And with a real token: it outlives the sink and the connector.
	e := startEmulator(t)
	c := newConnector(t, e, ckpMode)
	s, err := openOrdersAs(c, "conf/b1/0", nil)
	must(t, err)
	must(t, s.Upsert(r1))
	token, err := s.OnCheckpoint(1)
	must(t, err)
	saved := append([]byte(nil), token...)
	must(t, s.Close())
	must(t, c.Close())
	runtime.GC()
	if !bytes.Equal(token, saved) || !json.Valid(token) {
		t.Fatalf("token changed or is not JSON: %q", token)
	}
}

func TestB2CallbacksOutliveTheHostReferences(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	var credsCalls, logCalls atomic.Int64
	c, err := NewConnector(WithLogger(LogDebug, func(LogLevel, string) { logCalls.Add(1) }))
	must(t, err)
	defer c.Close()
	func() {
		user := strings.Clone("root") // state only the closure references
		must(t, c.AddSink("shop.*", e.opts(wmMode), func(CredentialsRequest) (Credentials, error) {
			credsCalls.Add(1)
			return Credentials{User: user}, nil
		}))
	}()
	runtime.GC()
	runtime.GC()
	s := openOrders(t, c)
	must(t, s.Upsert(r1))
	runtime.GC()
	must(t, s.OnWatermark(1))
	if credsCalls.Load() == 0 || logCalls.Load() == 0 {
		t.Fatalf("callbacks: credentials %d, log %d", credsCalls.Load(), logCalls.Load())
	}
	wantDump(t, e, "shop", "orders", r1Dump)
}

func TestB3CallbackPanicsAreRecovered(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	var panicked atomic.Bool
	c := newConnector(t, e, wmMode, WithLogger(LogDebug, func(LogLevel, string) {
		panicked.Store(true)
		panic("log callback panics on purpose")
	}))
	s := openOrders(t, c)
	must(t, s.Upsert(r1))
	must(t, s.OnWatermark(1))
	if !panicked.Load() {
		t.Fatal("the log callback never ran")
	}
	wantDump(t, e, "shop", "orders", r1Dump)

	bad, err := NewConnector()
	must(t, err)
	defer bad.Close()
	must(t, bad.AddSink("shop.*", e.opts(wmMode), func(CredentialsRequest) (Credentials, error) {
		panic("credentials callback panics on purpose")
	}))
	_, err = bad.Open(OpenParams{Table: "shop.orders", Columns: orderColumns})
	wantCode(t, err, ErrAuth)
}

func TestB4ErrorValuesCarryEveryDetail(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := strictConnector(t, e)
	_, err := c.Open(OpenParams{Table: "nowhere.t", Columns: []string{"id"}})
	ne := wantCode(t, err, ErrNoRoute)
	if ne.Code.Name() != "SR_SINK_E_NO_ROUTE" || ne.Retryable || ne.Data || ne.Label != "" || ne.HTTPStatus != 0 ||
		!strings.HasPrefix(ne.Error(), "SR_SINK_E_NO_ROUTE: ") || errors.Is(err, ErrConfig) {
		t.Fatalf("%+v", ne)
	}
	var code Code
	if !errors.As(err, &code) || code != ErrNoRoute {
		t.Fatalf("errors.As code: %v", code)
	}
	s := openOrders(t, c)
	must(t, s.Upsert(fmt.Sprintf(`{"id":9,"name":"%s","amount":"1.00"}`, strings.Repeat("x", 70))))
	err = s.OnWatermark(1)
	var le *Error
	if !errors.As(err, &le) || le.Label == "" || le.HTTPStatus == 0 || !strings.Contains(le.Error(), le.Label) {
		t.Fatalf("%#v", err)
	}
	_ = le.Fatal
}

func TestB5NativeAndEncodedRowsAreIdentical(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	must(t, s.Upsert(order{1, "alice", "10.50"}, map[string]any{"id": 2, "name": "bob", "amount": "20.00"}))
	must(t, s.OnWatermark(1))
	native := e.dump("shop", "orders")
	must(t, s.Delete(`{"id":1}`, []byte(`{"id":2}`)))
	must(t, s.OnWatermark(2))
	wantDump(t, e, "shop", "orders")
	must(t, s.Upsert(r1, []byte(r2)))
	must(t, s.OnWatermark(3))
	wantDump(t, e, "shop", "orders", native...)
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)

	before, err := s.Stats()
	must(t, err)
	ie := wantCode(t, s.WriteRows([]any{r1, r2}, []Op{Upsert}), ErrInvalidArgument)
	if !strings.Contains(ie.Message, "2 rows but 1 ops") {
		t.Fatal(ie)
	}
	after, err := s.Stats()
	must(t, err)
	if after.RowsWritten != before.RowsWritten {
		t.Fatal("the library was called")
	}
	wantCode(t, s.Upsert(func() {}), ErrInvalidArgument) // not encodable as JSON
}

// ---- Beyond the list: Cancel from another goroutine -------------------------------------------

func TestX1CancelInterruptsABlockedCallFromAnotherGoroutine(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	fault := e.fault(`{"point":"be_stream_load","action":"hang","times":-1}`)
	must(t, s.Upsert(r1))
	done := make(chan error, 1)
	go func() { done <- s.OnWatermark(1) }()
	e.waitFaultHit(fault)
	if _, err := s.Stats(); err != nil { // Stats does not wait for the blocked call
		t.Fatal(err)
	}
	s.Cancel()
	wantCode(t, <-done, ErrCancelled)
	_ = s.Close() // may report the abandoned load; the sink is freed either way
	if !s.Closed() {
		t.Fatal("not closed")
	}
	s.Cancel() // harmless once closed
	wantDump(t, e, "shop", "orders")
}

// ---- C17 ---------------------------------------------------------------------------------------

var badRow = fmt.Sprintf(`{"id":9,"name":"%s","amount":"1.00"}`, strings.Repeat("x", 70))

const filterOpts = `"properties":{"strict_mode":"true","max_filter_ratio":"0.5"}`

func testC17(t *testing.T, mode string) {
	t.Parallel()
	e := startEmulator(t)
	var mu sync.Mutex
	var seen []RejectedRow
	var logLines []string
	var failing atomic.Bool
	c, err := NewConnector(WithLogger(LogInfo, func(level LogLevel, msg string) {
		mu.Lock()
		defer mu.Unlock()
		if level <= LogInfo {
			logLines = append(logLines, msg)
		}
	}))
	must(t, err)
	defer c.Close()
	must(t, c.AddSink("shop.*", e.opts(mode, filterOpts), root, WithRejectedRows(func(row RejectedRow) error {
		mu.Lock()
		seen = append(seen, row)
		mu.Unlock()
		if failing.Load() {
			return errors.New("dead-letter queue unavailable")
		}
		return nil
	})))
	s, err := openOrdersAs(c, "conf/c17/0", nil)
	must(t, err)
	must(t, s.Upsert(r1, badRow, r2))
	if mode == ckpMode {
		_, err = s.OnCheckpoint(1)
		must(t, err)
		must(t, s.Commit(1))
	} else {
		must(t, s.OnWatermark(1))
	}
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
	mu.Lock()
	if len(seen) != 1 {
		mu.Unlock()
		t.Fatalf("rejected rows: %+v", seen)
	}
	row := seen[0]
	mu.Unlock()
	if row.Table != "shop.orders" || !strings.HasPrefix(row.Label, "conf-") ||
		!strings.Contains(string(row.Row), "xxxxxxxxxx") || row.Reason == "" {
		t.Fatalf("rejected row %+v", row)
	}
	st, err := s.Stats()
	must(t, err)
	if st.RowsRejected != 1 || st.RowsFiltered != 1 {
		t.Fatalf("stats %+v", st)
	}
	must(t, s.Close())
	mu.Lock()
	for _, l := range logLines {
		if strings.Contains(l, "xxxxxxxxxx") {
			t.Errorf("a row value was logged: %q", l)
		}
	}
	mu.Unlock()

	// A second sink whose callback fails for every row: the load's outcome is a data error.
	failing.Store(true)
	s2, err := openOrdersAs(c, "conf/c17/1", nil)
	must(t, err)
	defer s2.Close()
	must(t, s2.Upsert(badRow))
	if mode == ckpMode {
		_, err = s2.OnCheckpoint(1)
	} else {
		err = s2.OnWatermark(2)
	}
	if de := wantCode(t, err, ErrData); de.Code.Name() != "SR_SINK_E_DATA" {
		t.Fatal(de)
	}
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
}

func TestC17RejectedRowsOnWatermark(t *testing.T)  { testC17(t, wmMode) }
func TestC17RejectedRowsOnCheckpoint(t *testing.T) { testC17(t, ckpMode) }

// ---- C18 ---------------------------------------------------------------------------------------

// c18Child (a re-executed copy of the test binary) prepares checkpoint 1, stores its token
// durably and waits to be killed.
func c18Child(t *testing.T, port, tokenPath string) {
	opts := fmt.Sprintf(`{"http_url":"http://127.0.0.1:%s","execution_mode":"on_checkpoint","label_prefix":"conf","max_retries":2,"retry_backoff_ms":10}`, port)
	c, err := NewConnector()
	must(t, err)
	must(t, c.AddSink("shop.*", opts, root))
	s, err := openOrdersAs(c, "conf/c18/0", nil)
	must(t, err)
	must(t, s.Upsert(r1, r2))
	token, err := s.OnCheckpoint(1)
	must(t, err)
	f, err := os.Create(tokenPath + ".tmp")
	must(t, err)
	_, err = f.Write(token)
	must(t, err)
	must(t, f.Sync())
	must(t, f.Close())
	must(t, os.Rename(tokenPath+".tmp", tokenPath))
	fmt.Println("C18-READY")
	for {
		time.Sleep(time.Hour) // until SIGKILL
	}
}

func TestC18CommitAStoredTokenWithNoSinkOpen(t *testing.T) {
	if port := os.Getenv("SR_CONF_C18_PORT"); port != "" {
		c18Child(t, port, os.Getenv("SR_CONF_C18_TOKEN"))
		return
	}
	t.Parallel()
	e := startEmulator(t)
	tokenPath := filepath.Join(e.dir, "token")
	killChildWhenReady(t, "TestC18CommitAStoredTokenWithNoSinkOpen", "C18", e, tokenPath, "checkpoint 1")

	token, err := os.ReadFile(tokenPath)
	must(t, err)
	wantDump(t, e, "shop", "orders")
	labels := e.txnLabels()
	if len(labels) != 1 {
		t.Fatalf("labels %+v", labels)
	}
	var l1 string
	for l := range labels {
		l1 = l
	}

	info, err := InspectToken(token)
	must(t, err)
	if info != (TokenInfo{ExecutionMode: ModeOnCheckpoint, CheckpointID: 1, NTransactions: 1}) || info.ExecutionMode.String() != "on_checkpoint" {
		t.Fatalf("InspectToken: %+v", info)
	}

	c := newConnector(t, e, ckpMode) // a new connector, no sink open
	must(t, c.CommitToken(token))
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
	if info := e.txnLabels()[l1]; info.State != "VISIBLE" || info.Commits != 1 {
		t.Fatalf("after CommitToken: %+v", info)
	}
	must(t, c.CommitToken(token)) // idempotent
	if info := e.txnLabels()[l1]; info.Commits != 1 {
		t.Fatalf("after a second CommitToken: %+v", info)
	}
	s, err := openOrdersAs(c, "conf/c18/0", token)
	must(t, err)
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
	must(t, s.Close())

	if re := wantCode(t, c.CommitToken([]byte("not a token")), ErrRecovery); re.Code.Name() != "SR_SINK_E_RECOVERY" {
		t.Fatal(re)
	}
	_, err = InspectToken([]byte("not a token"))
	wantCode(t, err, ErrRecovery)
	other, err := NewConnector()
	must(t, err)
	defer other.Close()
	must(t, other.AddSink("other.*", e.opts(ckpMode), root))
	wantCode(t, other.CommitToken(token), ErrNoRoute)
	if info := e.txnLabels()[l1]; info.Commits != 1 {
		t.Fatalf("at the end: %+v", info)
	}
}

// ---- C19 ---------------------------------------------------------------------------------------

func TestC19CloseWithRowsNotLoadedSaysSo(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	type line struct {
		level LogLevel
		msg   string
	}
	var mu sync.Mutex
	var lines []line
	c := newConnector(t, e, wmMode, WithLogger(LogInfo, func(level LogLevel, msg string) {
		mu.Lock()
		lines = append(lines, line{level, msg})
		mu.Unlock()
	}))
	s := openOrders(t, c)
	must(t, s.Upsert(r1, r2))
	must(t, s.Close())
	mu.Lock()
	defer mu.Unlock()
	found := false
	for _, l := range lines {
		found = found || (l.level == LogWarn && strings.Contains(l.msg, "2 rows") && containsCI(l.msg, "not loaded"))
	}
	if !found {
		t.Fatalf("no WARN line about 2 rows not loaded: %+v", lines)
	}
	wantDump(t, e, "shop", "orders")
}

// ---- C20 ---------------------------------------------------------------------------------------

func TestC20KeyColumnsCheckedAtWrite(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	c := newConnector(t, e, wmMode)
	s := openOrders(t, c)
	de := wantCode(t, s.Upsert(r1, `{"id":4,"nmae":"x"}`), ErrData)
	if !de.Data || !strings.Contains(de.Message, "nmae") || !regexp.MustCompile(`(?i)row\D{0,3}1\b`).MatchString(de.Message) {
		t.Fatalf("unknown column: %v (data %v)", de, de.Data)
	}
	de = wantCode(t, s.Upsert(`{"name":"x","amount":"1.00"}`), ErrData)
	if !de.Data || !strings.Contains(de.Message, "id") || !containsCI(de.Message, "missing") {
		t.Fatalf("missing key: %v (data %v)", de, de.Data)
	}
	de = wantCode(t, s.Upsert(`{"id":null,"name":"x"}`), ErrData)
	if !de.Data || !strings.Contains(de.Message, "id") || !containsCI(de.Message, "null") {
		t.Fatalf("null key: %v (data %v)", de, de.Data)
	}
	if st, err := s.Stats(); err != nil || st.RowsWritten != 0 {
		t.Fatalf("a failed batch was taken: %+v %v", st, err)
	}
	must(t, s.Upsert(r3))
	must(t, s.OnWatermark(1))
	wantDump(t, e, "shop", "orders", r3Dump)
}

// ---- ABI 1.1 calls with a 1.0 library ----------------------------------------------------------

// Not parallel: the hook is process-wide (parallel tests wait until the sequential ones are done).
func TestABI11CallsFailAloneWithNotSupportedOnA10Library(t *testing.T) {
	e := startEmulator(t)
	withABI10Library(func() {
		_, err := InspectToken([]byte(`{"v":1}`))
		if ne := wantCode(t, err, ErrNotSupported); !strings.Contains(ne.Message, "sr_sink_token_inspect") || !strings.Contains(ne.Message, "1.1") {
			t.Fatal(ne)
		}
		c, err := NewConnector()
		must(t, err)
		defer c.Close()
		err = c.AddSink("shop.*", e.opts(wmMode), root, WithRejectedRows(func(RejectedRow) error { return nil }))
		if ne := wantCode(t, err, ErrNotSupported); !strings.Contains(ne.Message, "sr_sink_connector_register") {
			t.Fatal(ne)
		}
		wantCode(t, c.CommitToken([]byte(`{"v":1}`)), ErrNotSupported)
		// Everything of ABI 1.0 still works.
		must(t, c.AddSink("shop.*", e.opts(wmMode), root))
		s := openOrders(t, c)
		must(t, s.Upsert(r1))
		must(t, s.OnWatermark(1))
		st, err := s.Stats()
		must(t, err)
		if st.RowsLoaded != 1 {
			t.Fatalf("stats %+v", st)
		}
		must(t, s.Close())
	})
	wantDump(t, e, "shop", "orders", r1Dump)
}

// ---- rejected rows: lifetime and containment ---------------------------------------------------

func TestB2RejectedRowsFuncOutlivesTheHostReferences(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	var calls atomic.Int64
	c, err := NewConnector()
	must(t, err)
	defer c.Close()
	// A failed registration: the library releases both handles at once (no leak, no crash).
	wantCode(t, c.AddSink("shop.*", e.opts(wmMode, `"batch_max_rows":-1`), root,
		WithRejectedRows(func(RejectedRow) error { return nil })), ErrConfig)
	func() {
		seen := map[string]bool{} // state only the closure references
		must(t, c.AddSink("shop.*", e.opts(wmMode, filterOpts), root, WithRejectedRows(func(r RejectedRow) error {
			seen[string(r.Row)] = true
			calls.Add(1)
			return nil
		})))
	}()
	runtime.GC()
	runtime.GC()
	s := openOrders(t, c)
	must(t, s.Upsert(r1, badRow, r2))
	runtime.GC()
	must(t, s.OnWatermark(1))
	if calls.Load() != 1 {
		t.Fatalf("rejected-rows func called %d times", calls.Load())
	}
	wantDump(t, e, "shop", "orders", r1Dump, r2Dump)
}

func TestB3RejectedRowsErrorOrPanicFailsTheLoadOutcome(t *testing.T) {
	t.Parallel()
	// The loads themselves pass max_filter_ratio: only the func makes them a data error.
	for _, panics := range []bool{false, true} {
		e := startEmulator(t)
		c, err := NewConnector()
		must(t, err)
		defer c.Close()
		must(t, c.AddSink("shop.*", e.opts(wmMode, filterOpts), root, WithRejectedRows(func(RejectedRow) error {
			if panics {
				panic("rejected-rows func panics on purpose")
			}
			return errors.New("dead-letter queue down")
		})))
		s := openOrders(t, c)
		must(t, s.Upsert(r1, badRow, r2))
		wantCode(t, s.OnWatermark(1), ErrData)
	}
}
