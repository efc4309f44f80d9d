package srsink

/*
#include "shim.h"
*/
import "C"

import (
	"encoding/json"
)

// Op is what a row does to the table's Primary Key row (StarRocks __op).
type Op uint8

const (
	Upsert Op = C.SR_SINK_OP_UPSERT
	Delete Op = C.SR_SINK_OP_DELETE // needs only the key columns
)

// Batch is a reusable buffer of rows with their ops. Rows are JSON objects whose keys are among
// the sink's columns. A row given as []byte, string or json.RawMessage is taken as already
// encoded JSON; anything else (map[string]any, a struct with json tags) is encoded with
// encoding/json. Decimals that must keep their precision are best given as strings ("10.50").
type Batch struct {
	buf  []byte
	ends []C.size_t // row i is buf[ends[i-1]:ends[i]]
	ops  []C.uint8_t
}

// Add appends a row with op.
func (b *Batch) Add(op Op, row any) error {
	switch r := row.(type) {
	case []byte:
		b.buf = append(b.buf, r...)
	case json.RawMessage:
		b.buf = append(b.buf, r...)
	case string:
		b.buf = append(b.buf, r...)
	default:
		enc, err := json.Marshal(row)
		if err != nil {
			return newError(ErrInvalidArgument, "row %d cannot be encoded as JSON: %v", len(b.ends), err)
		}
		b.buf = append(b.buf, enc...)
	}
	b.ends = append(b.ends, C.size_t(len(b.buf)))
	b.ops = append(b.ops, C.uint8_t(op))
	return nil
}

// Upsert appends an upsert row.
func (b *Batch) Upsert(row any) error { return b.Add(Upsert, row) }

// Delete appends a delete row (key columns only).
func (b *Batch) Delete(row any) error { return b.Add(Delete, row) }

// Len is the number of rows.
func (b *Batch) Len() int { return len(b.ends) }

// Reset empties the batch, keeping its buffers.
func (b *Batch) Reset() {
	b.buf, b.ends, b.ops = b.buf[:0], b.ends[:0], b.ops[:0]
}
