package srsink

/*
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"sync"
	"unsafe"
)

// Connector is the registry of sinks: a glob over "db.table" picks the options (a JSON document)
// and the credentials callback. Its methods are safe for concurrent use.
//
// Close closes every sink opened from it that is still open (they then report ErrState), since
// the library frees a connector only after its sinks.
type Connector struct {
	mu        sync.RWMutex // AddSink and Close exclusive, Open shared (the ABI forbids AddSink ∥ Open)
	raw       *C.sr_sink_connector
	logHandle cgo.Handle // 0 without a logger; deleted after the connector is freed

	sinksMu sync.Mutex
	sinks   map[*Sink]struct{}
}

type connectorConfig struct {
	logLevel LogLevel
	log      LogFunc
}

// ConnectorOption configures NewConnector.
type ConnectorOption func(*connectorConfig)

// WithLogger delivers library log lines up to level to fn (see LogFunc).
func WithLogger(level LogLevel, fn LogFunc) ConnectorOption {
	return func(c *connectorConfig) { c.logLevel, c.log = level, fn }
}

// NewConnector checks the library's ABI version and creates a connector.
func NewConnector(opts ...ConnectorOption) (*Connector, error) {
	if err := CheckABI(); err != nil {
		return nil, err
	}
	cfg := connectorConfig{logLevel: LogInfo}
	for _, o := range opts {
		o(&cfg)
	}
	c := &Connector{sinks: map[*Sink]struct{}{}}
	var logHandle C.uintptr_t
	if cfg.log != nil {
		c.logHandle = cgo.NewHandle(cfg.log)
		logHandle = C.uintptr_t(c.logHandle)
	}
	cerr := newRawError()
	if err := errorFrom(C.srsink_connector_new(C.int32_t(cfg.logLevel), logHandle, &c.raw, &cerr), &cerr); err != nil {
		if c.logHandle != 0 {
			c.logHandle.Delete()
		}
		return nil, err
	}
	return c, nil
}

// SinkOption configures AddSink.
type SinkOption func(*sinkConfig)

type sinkConfig struct {
	rejectedRows RejectedRowFunc
}

// WithRejectedRows passes every row StarRocks rejects for the registered tables to fn (see
// RejectedRowFunc). It registers through sr_sink_connector_register, which needs libsr_sink ABI
// 1.1: with a 1.0 library AddSink returns ErrNotSupported and registers nothing.
func WithRejectedRows(fn RejectedRowFunc) SinkOption {
	return func(c *sinkConfig) { c.rejectedRows = fn }
}

// AddSink registers a sink: tables whose "db.table" matches glob (first registered match wins)
// are written with optionsJSON (see the README for the keys), authenticating with what creds
// returns. The library keeps creds (and a WithRejectedRows func) until the connector is closed.
func (c *Connector) AddSink(glob, optionsJSON string, creds CredentialsFunc, opts ...SinkOption) error {
	if creds == nil {
		return newError(ErrInvalidArgument, "AddSink: the credentials func is nil")
	}
	var cfg sinkConfig
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.rejectedRows != nil {
		if err := since11(0, "sr_sink_connector_register"); err != nil {
			return err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.raw == nil {
		return newError(ErrState, "the connector is closed")
	}
	cglob, err := cString("glob", glob)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cglob))
	copts, err := cString("options", optionsJSON)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(copts))
	// From here the library owns the handles: it calls srsinkGoRelease when the connector is
	// freed, or before returning an error.
	h := cgo.NewHandle(creds)
	cerr := newRawError()
	if cfg.rejectedRows == nil {
		return errorFrom(C.srsink_add_sink(c.raw, cglob, copts, C.uintptr_t(h), &cerr), &cerr)
	}
	rows := cgo.NewHandle(cfg.rejectedRows)
	return errorFrom(C.srsink_register(c.raw, cglob, copts, C.uintptr_t(h), C.uintptr_t(rows), &cerr), &cerr)
}

// CommitToken commits every transaction a commit token names, with no sink open
// (sr_sink_commit_token): for a committer that runs apart from the writer, e.g. after the writer
// process died. The same as Sink.Commit of the token's checkpoint on the sink that made it:
// idempotent; it uses the registration matching the token's table. ErrRecovery when the token is
// malformed or its data is no longer committable (the message names the checkpoint), ErrNoRoute
// when no registration matches, ErrNotSupported with a libsr_sink older than ABI 1.1. Safe
// concurrently with sinks and other CommitToken calls.
func (c *Connector) CommitToken(token []byte) error {
	if err := since11(1, "sr_sink_commit_token"); err != nil {
		return err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.raw == nil {
		return newError(ErrState, "the connector is closed")
	}
	var p *C.uint8_t
	if len(token) > 0 {
		p = (*C.uint8_t)(unsafe.Pointer(&token[0]))
	}
	cerr := newRawError()
	// Go memory holding no Go pointers, borrowed for the call.
	return errorFrom(C.srsink_commit_token(c.raw, p, C.size_t(len(token)), &cerr), &cerr)
}

// OpenParams says which table a sink writes and how.
type OpenParams struct {
	Table   string   // "db.table"
	Columns []string // the columns the host writes; every key column must be among them
	// InstanceID is a stable name of this writer across restarts ("job1/op3/subtask0").
	// Required in on_checkpoint mode.
	InstanceID string
	// RestoreToken (on_checkpoint): the token of the host's last durable checkpoint; Open
	// commits what it names and rolls back later transactions. nil for a fresh start.
	RestoreToken []byte
}

// Open opens a sink for one table: checks it (Primary Key, columns) and, in on_checkpoint mode
// with a restore token, recovers.
func (c *Connector) Open(p OpenParams) (*Sink, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.raw == nil {
		return nil, newError(ErrState, "the connector is closed")
	}
	table, err := cString("table", p.Table)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(table))
	var instance *C.char
	if p.InstanceID != "" {
		if instance, err = cString("instance id", p.InstanceID); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(instance))
	}
	// The column array lives in C memory: Go memory passed to C must not hold Go pointers.
	n := len(p.Columns)
	var columns **C.char
	if n > 0 {
		columns = (**C.char)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		defer C.free(unsafe.Pointer(columns))
		cols := unsafe.Slice(columns, n)
		defer func() {
			for _, s := range cols {
				C.free(unsafe.Pointer(s))
			}
		}()
		for i, name := range p.Columns {
			if cols[i], err = cString("column name", name); err != nil {
				return nil, err
			}
		}
	}
	var token *C.uint8_t
	if len(p.RestoreToken) > 0 {
		token = (*C.uint8_t)(unsafe.Pointer(&p.RestoreToken[0]))
	}
	var raw *C.sr_sink
	cerr := newRawError()
	status := C.srsink_open(c.raw, table, columns, C.uint32_t(n), instance, token,
		C.size_t(len(p.RestoreToken)), &raw, &cerr)
	if err := errorFrom(status, &cerr); err != nil {
		return nil, err
	}
	s := &Sink{raw: raw, cancelRaw: raw, conn: c}
	c.sinksMu.Lock()
	c.sinks[s] = struct{}{}
	c.sinksMu.Unlock()
	return s, nil
}

// Close closes every sink still open from this connector, then frees it: no callback runs after
// Close returns. It waits for calls running on those sinks (Cancel them first if they may block).
// Closing twice is harmless.
func (c *Connector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.raw == nil {
		return nil
	}
	c.sinksMu.Lock()
	open := make([]*Sink, 0, len(c.sinks))
	for s := range c.sinks {
		open = append(open, s)
	}
	c.sinksMu.Unlock()
	for _, s := range open {
		_ = s.Close()
	}
	C.sr_sink_connector_free(c.raw)
	c.raw = nil
	if c.logHandle != 0 {
		c.logHandle.Delete()
		c.logHandle = 0
	}
	return nil
}

func (c *Connector) forget(s *Sink) {
	c.sinksMu.Lock()
	delete(c.sinks, s)
	c.sinksMu.Unlock()
}

// cString copies s into C memory (free it with C.free); a NUL inside is ErrInvalidArgument.
func cString(what, s string) (*C.char, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return nil, newError(ErrInvalidArgument, "%s contains a NUL byte", what)
		}
	}
	return C.CString(s), nil
}
