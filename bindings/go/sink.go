package srsink

/*
#include "shim.h"
*/
import "C"

import (
	"sync"
	"unsafe"
)

// Sink writes one table. Its methods are safe for concurrent use: calls are serialized, as the
// ABI requires, except Cancel and Stats, which may run while another call is in progress.
type Sink struct {
	mu  sync.Mutex // held for the whole of every call except Cancel and Stats
	raw *C.sr_sink // nil once closed

	// handleMu guards cancelRaw, the pointer Cancel and Stats may use while mu is held by a
	// running call. Close clears it (waiting for them) before freeing the sink.
	handleMu  sync.RWMutex
	cancelRaw *C.sr_sink

	conn *Connector
}

func errClosed() error { return newError(ErrState, "the sink is closed") }

// Write writes a batch of rows. Every row is validated first: a malformed row fails the call
// with ErrData naming its index, and nothing of the batch is taken.
func (s *Sink) Write(b *Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		return errClosed()
	}
	var buf *C.char
	if len(b.buf) > 0 {
		buf = (*C.char)(unsafe.Pointer(&b.buf[0]))
	}
	var ends *C.size_t
	var ops *C.uint8_t
	if len(b.ends) > 0 {
		ends, ops = &b.ends[0], &b.ops[0]
	}
	cerr := newRawError()
	// Go memory passed here holds no Go pointers; the library copies the rows before returning.
	return errorFrom(C.srsink_write(s.raw, buf, ends, ops, C.size_t(len(b.ends)), &cerr), &cerr)
}

// WriteArrowC writes one Arrow record batch given as Arrow C Data Interface structs
// (sr_sink_write_arrow, ABI 1.2): schema points to a struct ArrowSchema describing a struct ("+s")
// whose fields are named like the sink's columns, array to its struct ArrowArray. ops (one per
// row, or nil) or a field "__op" give deletes. For arrow-go's arrow.RecordBatch use the srarrow
// package (module github.com/srsink/starrocks-sink/bindings/go/srarrow), which keeps this module free of
// the Arrow dependency.
//
// Ownership (Arrow's move semantics): the call takes both structs whatever it returns; they are
// released (and their release set to NULL) before it returns, also on the binding's own errors.
// The pointers must not point to Go memory that holds Go pointers (allocate the structs in C
// memory, as srarrow does). All or nothing: a bad value fails the call naming the column and row,
// nothing of the batch is taken and the sink stays usable. ErrNotSupported with a library older
// than ABI 1.2.
func (s *Sink) WriteArrowC(schema, array unsafe.Pointer, ops []Op) error {
	defer C.srsink_release_arrow(schema, array) // a no-op for what the library took
	if schema == nil || array == nil {
		return newError(ErrInvalidArgument, "WriteArrowC: schema or array is nil")
	}
	if err := CheckABI(); err != nil {
		return err
	}
	if as10.Load() || C.srsink_has_write_arrow() == 0 {
		return newError(ErrNotSupported, "the loaded libsr_sink (ABI %s) does not provide sr_sink_write_arrow, which needs ABI 1.2 or newer",
			formatVersion(libraryABI.Load()))
	}
	var cops *C.uint8_t
	if ops != nil {
		if n := int64(C.srsink_arrow_length(array)); int64(len(ops)) != n {
			return newError(ErrInvalidArgument, "ops has %d entries for %d rows", len(ops), n)
		}
		if len(ops) > 0 {
			raw := make([]C.uint8_t, len(ops))
			for i, op := range ops {
				raw[i] = C.uint8_t(op)
			}
			cops = &raw[0]
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		return errClosed()
	}
	cerr := newRawError()
	// ops is Go memory without Go pointers; the library reads it during the call only.
	return errorFrom(C.srsink_write_arrow(s.raw, schema, array, cops, &cerr), &cerr)
}

// WriteRows writes rows[i] with ops[i] (see Batch for the row forms). Different lengths are
// ErrInvalidArgument, before anything is written.
func (s *Sink) WriteRows(rows []any, ops []Op) error {
	if len(rows) != len(ops) {
		return newError(ErrInvalidArgument, "%d rows but %d ops: give one op per row", len(rows), len(ops))
	}
	var b Batch
	for i, r := range rows {
		if err := b.Add(ops[i], r); err != nil {
			return err
		}
	}
	return s.Write(&b)
}

// Upsert writes rows that are all upserts.
func (s *Sink) Upsert(rows ...any) error { return s.writeAll(Upsert, rows) }

// Delete writes rows that are all deletes (key columns only).
func (s *Sink) Delete(rows ...any) error { return s.writeAll(Delete, rows) }

func (s *Sink) writeAll(op Op, rows []any) error {
	var b Batch
	for _, r := range rows {
		if err := b.Add(op, r); err != nil {
			return err
		}
	}
	return s.Write(&b)
}

// OnWatermark (on_watermark mode) returns once the data written so far is visible in StarRocks.
// In on_checkpoint mode it does nothing.
func (s *Sink) OnWatermark(watermark int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		return errClosed()
	}
	cerr := newRawError()
	return errorFrom(C.sr_sink_on_watermark(s.raw, C.int64_t(watermark), &cerr), &cerr)
}

// OnCheckpoint: the host takes checkpoint checkpointID (strictly increasing). In on_checkpoint
// mode it prepares the epoch's transactions and returns the commit token, which the host stores
// with its checkpoint before calling Commit. In on_watermark mode it flushes like a watermark.
// The token is a copy owned by the caller; the library's copy is already released.
func (s *Sink) OnCheckpoint(checkpointID int64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		return nil, errClosed()
	}
	var tok C.sr_sink_token
	tok.struct_size = C.uint32_t(C.sizeof_sr_sink_token)
	cerr := newRawError()
	if err := errorFrom(C.sr_sink_on_checkpoint(s.raw, C.int64_t(checkpointID), &tok, &cerr), &cerr); err != nil {
		return nil, err
	}
	return takeToken(&tok), nil
}

// takeToken copies the token's bytes and releases the library's token exactly once.
func takeToken(tok *C.sr_sink_token) []byte {
	out := C.GoBytes(unsafe.Pointer(tok.data), C.int(tok.len))
	C.srsink_token_release(tok)
	return out
}

// Commit: the host's checkpoint checkpointID is durable; commits every transaction prepared
// for checkpoints up to it. Idempotent.
func (s *Sink) Commit(checkpointID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		return errClosed()
	}
	cerr := newRawError()
	return errorFrom(C.sr_sink_commit(s.raw, C.int64_t(checkpointID), &cerr), &cerr)
}

// Abort: the host's checkpoint checkpointID failed; rolls back what was prepared for it.
//
// The rows of that epoch are then in no transaction, so the sink cannot go on: after Abort (nil
// or not) the sink is failed, and every later Write, OnWatermark, OnCheckpoint and Commit returns
// ErrState saying that the checkpoint was aborted. Close the sink and reopen it with the token of
// the last durable checkpoint (OpenParams.RestoreToken), then replay from there — in both modes
// (ABI 1.1 contract).
func (s *Sink) Abort(checkpointID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		return errClosed()
	}
	cerr := newRawError()
	return errorFrom(C.sr_sink_abort(s.raw, C.int64_t(checkpointID), &cerr), &cerr)
}

// Cancel interrupts whatever the sink is doing (a blocked Write, a load, a retry backoff): that
// call returns ErrCancelled soon after and the sink is failed (only Close is useful). Safe from
// any goroutine; does nothing once the sink is closed.
func (s *Sink) Cancel() {
	s.handleMu.RLock()
	defer s.handleMu.RUnlock()
	if s.cancelRaw != nil {
		C.sr_sink_cancel(s.cancelRaw)
	}
}

// Stats are the sink's counters (see sr_sink_stats in the header).
type Stats struct {
	RowsWritten, RowsDeleted, BytesWritten, RowsLoaded, RowsFiltered, BytesSent uint64
	Loads, LoadFailures, Retries                                                uint64
	TxnsBegun, TxnsPrepared, TxnsCommitted, TxnsAborted                         uint64
	BufferedBytes, LastLoadMs, ServerLoadMs                                     uint64
	// RowsRejected (since ABI 1.1; 0 with a 1.0 library): rows StarRocks rejected, reported to
	// the WithRejectedRows func.
	RowsRejected uint64
	// Since ABI 1.2 (0 with an older library): episodes of StarRocks pushing back that the
	// sink waited out, the milliseconds spent backing off in them, and requests moved to
	// another FE of http_url after a failure.
	ThrottleEpisodes, ThrottleWaitMs, FEFailovers uint64
}

// Stats returns the sink's counters; safe while another call is running.
func (s *Sink) Stats() (Stats, error) {
	s.handleMu.RLock()
	defer s.handleMu.RUnlock()
	if s.cancelRaw == nil {
		return Stats{}, errClosed()
	}
	var st C.sr_sink_stats
	st.struct_size = C.uint32_t(C.sizeof_sr_sink_stats)
	cerr := newRawError()
	if err := errorFrom(C.sr_sink_get_stats(s.cancelRaw, &st, &cerr), &cerr); err != nil {
		return Stats{}, err
	}
	return Stats{
		RowsWritten: uint64(st.rows_written), RowsDeleted: uint64(st.rows_deleted),
		BytesWritten: uint64(st.bytes_written), RowsLoaded: uint64(st.rows_loaded),
		RowsFiltered: uint64(st.rows_filtered), BytesSent: uint64(st.bytes_sent),
		Loads: uint64(st.loads), LoadFailures: uint64(st.load_failures), Retries: uint64(st.retries),
		TxnsBegun: uint64(st.txns_begun), TxnsPrepared: uint64(st.txns_prepared),
		TxnsCommitted: uint64(st.txns_committed), TxnsAborted: uint64(st.txns_aborted),
		BufferedBytes: uint64(st.buffered_bytes), LastLoadMs: uint64(st.last_load_ms),
		ServerLoadMs: uint64(st.server_load_ms), RowsRejected: uint64(st.rows_rejected),
		ThrottleEpisodes: uint64(st.throttle_episodes), ThrottleWaitMs: uint64(st.throttle_wait_ms),
		FEFailovers: uint64(st.fe_failovers),
	}, nil
}

// Closed reports whether the sink is closed (by Close, or by closing its connector).
func (s *Sink) Closed() bool {
	s.handleMu.RLock()
	defer s.handleMu.RUnlock()
	return s.cancelRaw == nil
}

// Close closes the sink. Rows written since the last OnWatermark (on_watermark mode) or
// OnCheckpoint (on_checkpoint mode) are NOT loaded: the open load is abandoned or its transaction
// rolled back, and a WARN log line gives the number of rows not loaded. The host replays them from
// its last checkpoint; to load them instead, call OnWatermark / OnCheckpoint (+ Commit) first.
// Prepared transactions are left for recovery. No callback for this sink runs after Close
// returns. Closing twice is harmless (nil).
func (s *Sink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw == nil {
		return nil
	}
	s.handleMu.Lock()
	s.cancelRaw = nil
	s.handleMu.Unlock()
	raw := s.raw
	s.raw = nil
	s.conn.forget(s)
	cerr := newRawError()
	return errorFrom(C.sr_sink_close(raw, &cerr), &cerr)
}
