// Package srarrow writes arrow-go record batches to a StarRocks sink: the Arrow form of
// srsink.Sink.Write, through sr_sink_write_arrow (ABI 1.2) and arrow-go's C Data Interface
// (cdata). The batch's buffers are shared with the library for the call, not copied into JSON.
//
// It is a module of its own (github.com/srsink/starrocks-sink/bindings/go/srarrow) so that the srsink
// module keeps no dependency: only hosts that import this package pull arrow-go.
package srarrow

/*
#include <stdlib.h>
*/
import "C"

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/cdata"
	"github.com/apache/arrow-go/v18/arrow/memory"
	srsink "github.com/srsink/starrocks-sink/bindings/go"
)

// Write writes one record batch. Its fields are named like the sink's columns (any subset, any
// order; every key column present). Row i's op is ops[i] when ops is not nil (one per row),
// else a field "__op" (int8/uint8 0/1, bool true = delete, utf8 "upsert"/"delete"), else
// upsert. All or nothing: a bad value, a field that is not a column or a null key fails the call
// naming the column and the row (srsink.ErrData / srsink.ErrInvalidArgument), nothing of the
// batch is taken and the sink stays usable. Sliced records (rec.NewSlice) are fine. rec is only
// borrowed: the caller still releases it. srsink.ErrNotSupported with a libsr_sink older than
// ABI 1.2.
func Write(sink *srsink.Sink, rec arrow.RecordBatch, ops []srsink.Op) error {
	// The structs live in C memory, zeroed, as cdata asks (the Go GC must never see the C
	// pointers they hold as Go pointers); the library releases what they hold.
	schema := (*cdata.CArrowSchema)(C.calloc(1, C.size_t(unsafe.Sizeof(cdata.CArrowSchema{}))))
	array := (*cdata.CArrowArray)(C.calloc(1, C.size_t(unsafe.Sizeof(cdata.CArrowArray{}))))
	defer C.free(unsafe.Pointer(schema))
	defer C.free(unsafe.Pointer(array))
	if schema == nil || array == nil {
		return &srsink.Error{Code: srsink.ErrNoMemory, Message: "out of memory exporting the record batch"}
	}
	rec, err := withoutSlicedStructs(rec)
	if err != nil {
		return err
	}
	defer rec.Release()
	cdata.ExportArrowRecordBatch(rec, array, schema)
	return sink.WriteArrowC(unsafe.Pointer(schema), unsafe.Pointer(array), ops)
}

// withoutSlicedStructs returns rec (retained) with every struct column that is a slice (data
// offset != 0, as rec.NewSlice makes them) copied into a fresh array. arrow-go v18.9.0 exports such
// a column with its offset *and* children that are already sliced, so a consumer following the
// C Data Interface applies the offset twice: the library refuses it ("child ... is shorter than
// the struct") rather than read the wrong rows. Other columns are shared, not copied.
func withoutSlicedStructs(rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	var cols []arrow.Array
	for i, col := range rec.Columns() {
		if col.DataType().ID() != arrow.STRUCT || col.Data().Offset() == 0 {
			continue
		}
		if cols == nil {
			cols = append([]arrow.Array(nil), rec.Columns()...)
		}
		copied, err := array.Concatenate([]arrow.Array{col}, memory.DefaultAllocator)
		if err != nil {
			for j, c := range cols[:i] {
				if c != rec.Column(j) {
					c.Release()
				}
			}
			return nil, &srsink.Error{Code: srsink.ErrInvalidArgument,
				Message: "copying the sliced struct column " + rec.ColumnName(i) + ": " + err.Error()}
		}
		cols[i] = copied
	}
	if cols == nil {
		rec.Retain()
		return rec, nil
	}
	out := array.NewRecordBatch(rec.Schema(), cols, rec.NumRows())
	for i, c := range cols {
		if c != rec.Column(i) {
			c.Release() // out holds its own reference
		}
	}
	return out, nil
}

// WriteReader writes every record of rr, one Write per record, and returns the rows written.
// When a record fails, the records before it were taken (rows says how many rows).
func WriteReader(sink *srsink.Sink, rr interface {
	Next() bool
	RecordBatch() arrow.RecordBatch
	Err() error
}) (rows int64, err error) {
	for rr.Next() {
		rec := rr.RecordBatch()
		if err := Write(sink, rec, nil); err != nil {
			return rows, err
		}
		rows += rec.NumRows()
	}
	return rows, rr.Err()
}
