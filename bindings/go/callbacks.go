package srsink

// The Go ends of the library's callbacks. The library passes back the runtime/cgo.Handle it was
// given as user_data; the handle keeps the Go func reachable (the GC cannot see C's copy) until
// the library releases it. Callbacks may arrive on library threads, concurrently.
// A panic never unwinds into C: it is recovered (a credentials callback then reports failure).

/*
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// LogLevel of a library log line; a connector delivers lines up to its level.
type LogLevel int32

const (
	LogError LogLevel = 1
	LogWarn  LogLevel = 2
	LogInfo  LogLevel = 3
	LogDebug LogLevel = 4
)

// LogFunc receives one library log line (no trailing newline, never a secret). It may be called
// from library threads, concurrently, and must not call back into the library.
type LogFunc func(level LogLevel, message string)

// CredentialsRequest says which sink asks for credentials, and why.
type CredentialsRequest struct {
	Table            string // "db.table" of the sink making the request
	AfterAuthFailure bool   // StarRocks answered 401 for the previous credentials: rotate if you can
}

// Credentials for one request.
type Credentials struct {
	User     string
	Password string
}

// CredentialsFunc is called before every request a sink makes (so secrets can rotate), possibly
// from library threads, concurrently. Returning an error (or panicking) fails that request with
// ErrAuth.
type CredentialsFunc func(req CredentialsRequest) (Credentials, error)

//export srsinkGoLog
func srsinkGoLog(handle C.uintptr_t, level C.int32_t, message *C.char) {
	defer func() { _ = recover() }()
	fn := cgo.Handle(handle).Value().(LogFunc)
	fn(LogLevel(level), C.GoString(message))
}

//export srsinkGoCredentials
func srsinkGoCredentials(handle C.uintptr_t, table *C.char, afterAuthFailure C.int32_t, user *C.char, password *C.char) (rc C.int32_t) {
	defer func() {
		if recover() != nil {
			rc = 1
		}
	}()
	fn := cgo.Handle(handle).Value().(CredentialsFunc)
	creds, err := fn(CredentialsRequest{Table: C.GoString(table), AfterAuthFailure: afterAuthFailure != 0})
	if err != nil {
		return 1
	}
	if !copyCString(creds.User, user, C.SR_SINK_CREDENTIAL_USER_MAX) ||
		!copyCString(creds.Password, password, C.SR_SINK_CREDENTIAL_PASSWORD_MAX) {
		return 1
	}
	return 0
}

// RejectedRow is one row StarRocks rejected (filtered), as its error log (the load's ErrorURL)
// reports it.
type RejectedRow struct {
	Table  string // "db.table" of the sink whose load reported it
	Label  string // the label of the load or transaction that reported it
	Row    []byte // the row as StarRocks reports it (may be cut by StarRocks; nil if none)
	Reason string // StarRocks' reason for this row ("" if none)
}

// RejectedRowFunc receives every row StarRocks rejected, before the call that completes the
// load returns (e.g. to route it to a dead-letter queue). It may be called from library threads,
// concurrently for different sinks, and must not call back into the library. Returning an error
// (or panicking) fails the load's outcome with ErrData: the host replays from its last
// checkpoint and the row is reported again, so no rejected row is lost.
type RejectedRowFunc func(row RejectedRow) error

//export srsinkGoRejectedRow
func srsinkGoRejectedRow(handle C.uintptr_t, row *C.sr_sink_rejected_row) (rc C.int32_t) {
	defer func() {
		if recover() != nil {
			rc = 1
		}
	}()
	fn := cgo.Handle(handle).Value().(RejectedRowFunc)
	// The library's struct_size: read only the fields it has.
	size := uintptr(row.struct_size)
	fits := func(offset, width uintptr) bool { return size >= offset+width }
	var r RejectedRow
	if fits(unsafe.Offsetof(row.table), unsafe.Sizeof(row.table)) && row.table != nil {
		r.Table = C.GoString(row.table)
	}
	if fits(unsafe.Offsetof(row.label), unsafe.Sizeof(row.label)) && row.label != nil {
		r.Label = C.GoString(row.label)
	}
	if fits(unsafe.Offsetof(row.row_len), unsafe.Sizeof(row.row_len)) && row.row != nil && row.row_len > 0 {
		r.Row = C.GoBytes(unsafe.Pointer(row.row), C.int(row.row_len))
	}
	if fits(unsafe.Offsetof(row.reason), unsafe.Sizeof(row.reason)) && row.reason != nil {
		r.Reason = C.GoString(row.reason)
	}
	if err := fn(r); err != nil {
		return 1
	}
	return 0
}

//export srsinkGoRelease
func srsinkGoRelease(handle C.uintptr_t) {
	defer func() { _ = recover() }()
	cgo.Handle(handle).Delete()
}

// copyCString copies s and a NUL into a library buffer of capacity bytes. A value that does not
// fit or contains a NUL is refused rather than truncated (it may be a secret).
func copyCString(s string, dst *C.char, capacity int) bool {
	if len(s) >= capacity {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return false
		}
	}
	buf := unsafe.Slice((*byte)(unsafe.Pointer(dst)), capacity)
	copy(buf, s)
	buf[len(s)] = 0
	return true
}
