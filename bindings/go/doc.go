// Package srsink is the Go binding of libsr_sink, a StarRocks sink for stream engines.
//
// A Connector holds registrations (a glob over "db.table" → JSON options + credentials func).
// A Sink writes one table: Write/Upsert/Delete rows, then either OnWatermark (at-least-once,
// visible at once) or OnCheckpoint + Commit (exactly-once two-phase commit; the token returned
// by OnCheckpoint restores the sink after a restart through OpenParams.RestoreToken).
//
// Errors are *Error values carrying the library's code, flags, label and HTTP status; the codes
// are sentinels for errors.Is (errors.Is(err, srsink.ErrNoRoute)). Close methods are idempotent.
// Callbacks are plain Go funcs; they may run on library threads, and a panic in them is
// recovered. The binding refuses a library of another ABI major version (ErrVersion).
package srsink
