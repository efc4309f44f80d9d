package srarrow_test

// Write against a real sr-emulator: every case writes the same rows as an arrow-go record batch
// and as JSON rows (srsink.Sink.Write) into twin tables and compares the emulator's dumps.

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	srsink "github.com/srsink/starrocks-sink/bindings/go"
	"github.com/srsink/starrocks-sink/bindings/go/srarrow"
)

func root(srsink.CredentialsRequest) (srsink.Credentials, error) {
	return srsink.Credentials{User: "root"}, nil
}

var typedColumns = [][2]string{
	{"id", "BIGINT"}, {"i8", "TINYINT"}, {"i16", "SMALLINT"}, {"i32", "INT"}, {"u16", "INT"},
	{"u64", "LARGEINT"}, {"f32", "FLOAT"}, {"f64", "DOUBLE"}, {"dec", "DECIMAL(12,2)"},
	{"b", "BOOLEAN"}, {"day", "DATE"}, {"ts", "DATETIME"}, {"s", "VARCHAR(32)"},
	{"ls", "VARCHAR(32)"}, {"arr", "ARRAY<INT>"}, {"st", "STRUCT<a INT, b VARCHAR(8)>"},
}

var typedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "i16", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
	{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "u16", Type: arrow.PrimitiveTypes.Uint16, Nullable: true},
	{Name: "u64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
	{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "dec", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ls", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	{Name: "arr", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
	{Name: "st", Type: arrow.StructOf(
		arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}), Nullable: true},
}, nil)

const typedArrowJSON = `[
 {"id":1,"i8":-128,"i16":-32768,"i32":-2147483648,"u16":0,"u64":0,"f32":1.5,"f64":0.1,"dec":"10.50","b":true,"day":"2024-02-29","ts":"2024-02-29T23:59:58.123456","s":"Zoë ☃ \"q\"","ls":"large","arr":[1,null,3],"st":{"a":1,"b":"x"}},
 {"id":2,"i8":127,"i16":32767,"i32":2147483647,"u16":65535,"u64":18446744073709551615,"f32":-3.25,"f64":-1e300,"dec":"-0.01","b":false,"day":"1970-01-01","ts":"1970-01-01T00:00:00","s":"","ls":"x","arr":[],"st":{"a":null,"b":"y"}},
 {"id":3,"i8":null,"i16":null,"i32":null,"u16":null,"u64":null,"f32":null,"f64":null,"dec":null,"b":null,"day":null,"ts":null,"s":null,"ls":null,"arr":null,"st":{"a":0,"b":null}}
]`

// The same rows as a host writes them as JSON.
var typedJSONRows = []string{
	`{"id":1,"i8":-128,"i16":-32768,"i32":-2147483648,"u16":0,"u64":0,"f32":1.5,"f64":0.1,"dec":"10.50","b":true,"day":"2024-02-29","ts":"2024-02-29 23:59:58.123456","s":"Zoë ☃ \"q\"","ls":"large","arr":[1,null,3],"st":{"a":1,"b":"x"}}`,
	`{"id":2,"i8":127,"i16":32767,"i32":2147483647,"u16":65535,"u64":18446744073709551615,"f32":-3.25,"f64":-1e300,"dec":"-0.01","b":false,"day":"1970-01-01","ts":"1970-01-01 00:00:00","s":"","ls":"x","arr":[],"st":{"a":null,"b":"y"}}`,
	`{"id":3,"st":{"a":0,"b":null}}`,
}

func record(t *testing.T, schema *arrow.Schema, rows string) arrow.RecordBatch {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), schema, strings.NewReader(rows))
	if err != nil {
		t.Fatalf("building the record: %v", err)
	}
	t.Cleanup(rec.Release)
	return rec
}

type pair struct {
	e           *emulator
	arrow, json *srsink.Sink
}

func newPair(t *testing.T, e *emulator, columns [][2]string) *pair {
	t.Helper()
	e.createTable("arrow", "a", columns)
	e.createTable("arrow", "j", columns)
	c, err := srsink.NewConnector()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.AddSink("arrow.*", e.opts(), root); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, col := range columns {
		names = append(names, col[0])
	}
	p := &pair{e: e}
	if p.arrow, err = c.Open(srsink.OpenParams{Table: "arrow.a", Columns: names}); err != nil {
		t.Fatal(err)
	}
	if p.json, err = c.Open(srsink.OpenParams{Table: "arrow.j", Columns: names}); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *pair) land(t *testing.T) (a, j []string) {
	t.Helper()
	must(t, p.arrow.OnWatermark(1))
	must(t, p.json.OnWatermark(1))
	return p.e.dump("arrow", "a"), p.e.dump("arrow", "j")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func upsertJSON(t *testing.T, s *srsink.Sink, rows []string) {
	t.Helper()
	var b srsink.Batch
	for _, r := range rows {
		must(t, b.Upsert(r))
	}
	must(t, s.Write(&b))
}

func TestEveryTypeLandsLikeTheSameRowsWrittenAsJSON(t *testing.T) {
	e := startEmulator(t)
	p := newPair(t, e, typedColumns)
	must(t, srarrow.Write(p.arrow, record(t, typedSchema, typedArrowJSON), nil))
	upsertJSON(t, p.json, typedJSONRows)
	a, j := p.land(t)
	if len(a) != 3 || !reflect.DeepEqual(a, j) {
		t.Fatalf("arrow:\n%s\njson:\n%s", strings.Join(a, "\n"), strings.Join(j, "\n"))
	}
}

func TestASlicedRecordHonoursItsOffset(t *testing.T) {
	e := startEmulator(t)
	p := newPair(t, e, typedColumns)
	sliced := record(t, typedSchema, typedArrowJSON).NewSlice(1, 3)
	defer sliced.Release()
	must(t, srarrow.Write(p.arrow, sliced, nil))
	upsertJSON(t, p.json, typedJSONRows[1:])
	a, j := p.land(t)
	if len(a) != 2 || !reflect.DeepEqual(a, j) {
		t.Fatalf("arrow:\n%s\njson:\n%s", strings.Join(a, "\n"), strings.Join(j, "\n"))
	}
}

var ordersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "amount", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
}, nil)

const r123 = `[{"id":1,"name":"alice","amount":"10.50"},{"id":2,"name":"bob","amount":"20.00"},{"id":3,"name":"carol","amount":"30.25"}]`

const (
	r1Dump = `{"id":1,"name":"alice","amount":10.50}`
	r2Dump = `{"id":2,"name":"bob","amount":20.00}`
	r3Dump = `{"id":3,"name":"carol","amount":30.25}`
)

func openOrders(t *testing.T, e *emulator) *srsink.Sink {
	t.Helper()
	c, err := srsink.NewConnector()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.AddSink("shop.*", e.opts(), root); err != nil {
		t.Fatal(err)
	}
	s, err := c.Open(srsink.OpenParams{Table: "shop.orders", Columns: []string{"id", "name", "amount"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func wantDump(t *testing.T, e *emulator, want ...string) {
	t.Helper()
	if got := e.dump("shop", "orders"); !reflect.DeepEqual(got, want) {
		t.Fatalf("shop.orders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestOpsFromTheArgumentOrAnOpField(t *testing.T) {
	e := startEmulator(t)
	s := openOrders(t, e)
	must(t, srarrow.Write(s, record(t, ordersSchema, r123), nil))
	keys := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}, nil)
	must(t, srarrow.Write(s, record(t, keys, `[{"id":1}]`), []srsink.Op{srsink.Delete}))
	withOp := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "__op", Type: arrow.PrimitiveTypes.Int8},
	}, nil)
	must(t, srarrow.Write(s, record(t, withOp, `[{"id":3,"__op":1}]`), nil))
	must(t, s.OnWatermark(1))
	wantDump(t, e, r2Dump)
	st, err := s.Stats()
	must(t, err)
	if st.RowsDeleted != 2 {
		t.Fatalf("RowsDeleted = %d, want 2", st.RowsDeleted)
	}
}

func TestARefusedRecordLeavesTheTableUnchangedAndTheSinkUsable(t *testing.T) {
	e := startEmulator(t)
	s := openOrders(t, e)
	all := record(t, ordersSchema, r123)
	first := all.NewSlice(0, 1)
	defer first.Release()
	must(t, srarrow.Write(s, first, nil))
	nullKey := record(t, ordersSchema, `[{"id":2,"name":"bob","amount":"20.00"},{"id":null,"name":"x","amount":"1.00"}]`)
	err := srarrow.Write(s, nullKey, nil)
	var se *srsink.Error
	if !errors.As(err, &se) || se.Code != srsink.ErrData || !strings.Contains(se.Message, "id") {
		t.Fatalf("a null key: want ErrData naming id, got %v", err)
	}
	err = srarrow.Write(s, all, []srsink.Op{srsink.Upsert})
	if !errors.Is(err, srsink.ErrInvalidArgument) || !strings.Contains(err.Error(), "ops has 1 entries for 3 rows") {
		t.Fatalf("ops of the wrong length: %v", err)
	}
	rest := all.NewSlice(1, 3)
	defer rest.Release()
	must(t, srarrow.Write(s, rest, nil))
	must(t, s.OnWatermark(1))
	wantDump(t, e, r1Dump, r2Dump, r3Dump)
}

func TestWriteReaderWritesEveryRecord(t *testing.T) {
	e := startEmulator(t)
	s := openOrders(t, e)
	all := record(t, ordersSchema, r123)
	a, b := all.NewSlice(0, 2), all.NewSlice(2, 3)
	defer a.Release()
	defer b.Release()
	rr, err := array.NewRecordReader(ordersSchema, []arrow.RecordBatch{a, b})
	must(t, err)
	defer rr.Release()
	rows, err := srarrow.WriteReader(s, rr)
	must(t, err)
	if rows != 3 {
		t.Fatalf("rows = %d, want 3", rows)
	}
	must(t, s.OnWatermark(1))
	wantDump(t, e, r1Dump, r2Dump, r3Dump)
}

func TestLeakFreeWithACheckedAllocator(t *testing.T) {
	e := startEmulator(t)
	s := openOrders(t, e)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, _, err := array.RecordFromJSON(mem, ordersSchema, strings.NewReader(r123))
	must(t, err)
	must(t, srarrow.Write(s, rec, nil))
	bad, _, err := array.RecordFromJSON(mem, ordersSchema, strings.NewReader(`[{"id":null}]`))
	must(t, err)
	if err := srarrow.Write(s, bad, nil); err == nil {
		t.Fatal("a null key was accepted")
	}
	rec.Release()
	bad.Release()
}

// README begin
func writeOrdersAsArrow(sink *srsink.Sink) error {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"alice", "bob"}, nil)
	b.Field(2).(*array.Decimal128Builder).AppendValues(
		[]decimal128.Num{decimal128.FromI64(1050), decimal128.FromI64(2000)}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	// All or nothing; Write only borrows the record.
	if err := srarrow.Write(sink, rec, nil); err != nil {
		return err
	}
	del := rec.NewSlice(1, 2) // the row of id 2, deleted (or give a field "__op")
	defer del.Release()
	if err := srarrow.Write(sink, del, []srsink.Op{srsink.Delete}); err != nil {
		return err
	}
	return sink.OnWatermark(1)
}

// README end

func TestTheReadmeExampleRunsAndIsVerbatimInTheReadme(t *testing.T) {
	source, err := os.ReadFile("srarrow_test.go")
	must(t, err)
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	must(t, err)
	s := string(source)
	begin := strings.Index(s, "// README begin\n") + len("// README begin\n")
	end := strings.Index(s, "\n// README end")
	if !strings.Contains(string(readme), s[begin:end]) {
		t.Fatal("bindings/go/README.md's srarrow example differs from srarrow_test.go")
	}
	e := startEmulator(t)
	s2 := openOrders(t, e)
	must(t, writeOrdersAsArrow(s2))
	wantDump(t, e, r1Dump)
}
