package srsink

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"strings"
)

// Code is a libsr_sink status code (SR_SINK_E_*). Each code is also a sentinel error value:
// errors.Is(err, srsink.ErrConfig) is true for every *Error with that code.
type Code int32

// The status codes of sr_sink.h.
const (
	ErrInvalidArgument Code = 1  // a bad argument (also raised by the binding before calling the library)
	ErrConfig          Code = 2  // an options document is invalid; the message names the key
	ErrNoRoute         Code = 3  // no registered glob matches the table
	ErrSchema          Code = 4  // table missing, not a Primary Key table, column problems
	ErrData            Code = 5  // a malformed row, or StarRocks rejected rows of a load
	ErrAuth            Code = 6  // credentials refused, or the credentials callback failed
	ErrNetwork         Code = 7  // connection failed on every URL after all retries
	ErrTimeout         Code = 8  // a deadline passed
	ErrLoad            Code = 9  // StarRocks refused a load
	ErrTxn             Code = 10 // a transaction operation failed
	ErrState           Code = 11 // the call is not valid now (also: the sink or connector is closed)
	ErrNotSupported    Code = 12 // not supported in this mode or version
	ErrRetryLater      Code = 13 // memory budget full and the write deadline is zero
	ErrCancelled       Code = 14 // Cancel interrupted the call
	ErrRecovery        Code = 15 // recovery found data it cannot make exactly-once
	ErrVersion         Code = 16 // ABI major version mismatch
	ErrNoMemory        Code = 17 // allocation failed
	ErrInternal        Code = 18 // a bug in the library
)

// Name is the library's name of the code ("SR_SINK_E_CONFIG").
func (c Code) Name() string { return StatusName(int32(c)) }

// Error makes a Code usable as a sentinel error.
func (c Code) Error() string { return c.Name() }

// Error is a failure reported by libsr_sink, or by the binding before it called the library.
type Error struct {
	Code       Code
	Retryable  bool   // the same call may succeed if repeated later
	Fatal      bool   // the sink is unusable: close it (and restore from the last token)
	Data       bool   // caused by the data itself: retrying the same rows fails again
	HTTPStatus int    // last HTTP status involved, 0 if none
	Label      string // StarRocks label involved, "" if none
	Message    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code.Name())
	b.WriteString(": ")
	b.WriteString(e.Message)
	if e.Label != "" {
		fmt.Fprintf(&b, " (label %s)", e.Label)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	return b.String()
}

// Unwrap exposes the code, so errors.Is(err, srsink.ErrNoRoute) and errors.As(err, &code) work.
func (e *Error) Unwrap() error { return e.Code }

func newError(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// errorFrom converts the status and details of a library call; nil for SR_SINK_OK.
func errorFrom(status C.int32_t, raw *C.sr_sink_error) error {
	if status == C.SR_SINK_OK {
		return nil
	}
	flags := uint32(raw.flags)
	return &Error{
		Code:       Code(status),
		Retryable:  flags&C.SR_SINK_ERROR_F_RETRYABLE != 0,
		Fatal:      flags&C.SR_SINK_ERROR_F_FATAL != 0,
		Data:       flags&C.SR_SINK_ERROR_F_DATA != 0,
		HTTPStatus: int(raw.http_status),
		Label:      C.GoString(&raw.label[0]),
		Message:    C.GoString(&raw.message[0]),
	}
}

// newRawError is an error struct for one call.
func newRawError() C.sr_sink_error {
	var e C.sr_sink_error
	e.struct_size = C.uint32_t(C.sizeof_sr_sink_error)
	return e
}
