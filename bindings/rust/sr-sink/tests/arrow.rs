//! Sink::write_arrow (feature `arrow`, ABI 1.2) against a real sr-emulator: every case writes the
//! same rows as an arrow-rs RecordBatch and as JSON rows (Sink::write) into twin tables and
//! compares the emulator's dumps. Run with `cargo test --features arrow` (run-tests.sh does).
#![cfg(feature = "arrow")]
mod support;

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array, Int16Array,
    Int32Array, Int64Array, Int8Array, LargeStringArray, ListArray, RecordBatch, StringArray,
    StructArray, TimestampMicrosecondArray, UInt64Array, UInt8Array,
};
use arrow_schema::{DataType, Field};
use sr_sink::{Code, Connector, Credentials, CredentialsError, CredentialsRequest, Op, OpenParams, Sink};
use support::Emulator;

fn root(_: &CredentialsRequest<'_>) -> Result<Credentials, CredentialsError> {
    Ok(Credentials::new("root", ""))
}

const TYPED: &[(&str, &str)] = &[
    ("id", "BIGINT"),
    ("i8", "TINYINT"),
    ("i16", "SMALLINT"),
    ("i32", "INT"),
    ("u8", "SMALLINT"),
    ("u64", "LARGEINT"),
    ("f32", "FLOAT"),
    ("f64", "DOUBLE"),
    ("dec", "DECIMAL(12,2)"),
    ("b", "BOOLEAN"),
    ("day", "DATE"),
    ("ts", "DATETIME"),
    ("s", "VARCHAR(32)"),
    ("ls", "VARCHAR(32)"),
    ("arr", "ARRAY<INT>"),
    ("st", "STRUCT<a INT, b VARCHAR(8)>"),
];

fn create_table(emu: &Emulator, table: &str, columns: &[(&str, &str)]) {
    let cols: Vec<String> = columns
        .iter()
        .map(|(n, t)| {
            let key = *n == "id";
            format!(r#"{{"name":"{}","type":"{}","key":{},"nullable":{}}}"#, n, t, key, !key)
        })
        .collect();
    let body = format!(
        r#"{{"db":"arrow","table":"{}","keys_type":"PRIMARY_KEYS","columns":[{}]}}"#,
        table,
        cols.join(",")
    );
    let r = emu.post("/_emulator/tables", &body);
    assert_eq!(r.status, 200, "create {}: {}", table, r.body);
}

/// Two sinks on twin tables arrow.a (written with write_arrow) and arrow.j (with write).
struct Pair {
    _connector: Connector,
    arrow: Sink,
    json: Sink,
}

fn pair(emu: &Emulator, columns: &[(&str, &str)]) -> Pair {
    create_table(emu, "a", columns);
    create_table(emu, "j", columns);
    let c = Connector::new().expect("connector");
    c.add_sink("arrow.*", &emu.opts("on_watermark"), root).expect("add_sink");
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let arrow = c.open(&OpenParams::new("arrow.a", &names)).expect("open a");
    let json = c.open(&OpenParams::new("arrow.j", &names)).expect("open j");
    Pair { _connector: c, arrow, json }
}

impl Pair {
    fn land(mut self, emu: &Emulator) -> (Vec<String>, Vec<String>) {
        self.arrow.on_watermark(1).expect("watermark a");
        self.json.on_watermark(1).expect("watermark j");
        (emu.dump("arrow", "a"), emu.dump("arrow", "j"))
    }
}

fn typed_batch() -> RecordBatch {
    let arr = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
        Some(vec![Some(1), None, Some(3)]),
        Some(vec![]),
        None,
    ]);
    let st = StructArray::from(vec![
        (
            Arc::new(Field::new("a", DataType::Int32, true)),
            Arc::new(Int32Array::from(vec![Some(1), None, Some(0)])) as ArrayRef,
        ),
        (
            Arc::new(Field::new("b", DataType::Utf8, true)),
            Arc::new(StringArray::from(vec![Some("x"), Some("y"), None])) as ArrayRef,
        ),
    ]);
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("id", Arc::new(Int64Array::from(vec![1, 2, 3]))),
        ("i8", Arc::new(Int8Array::from(vec![Some(-128), Some(127), None]))),
        ("i16", Arc::new(Int16Array::from(vec![Some(-32768), Some(32767), None]))),
        ("i32", Arc::new(Int32Array::from(vec![Some(i32::MIN), Some(i32::MAX), None]))),
        ("u8", Arc::new(UInt8Array::from(vec![Some(0), Some(255), None]))),
        ("u64", Arc::new(UInt64Array::from(vec![Some(0), Some(u64::MAX), None]))),
        ("f32", Arc::new(Float32Array::from(vec![Some(1.5), Some(-3.25), None]))),
        ("f64", Arc::new(Float64Array::from(vec![Some(0.1), Some(-1e300), None]))),
        (
            "dec",
            Arc::new(
                Decimal128Array::from(vec![Some(1050), Some(-1), None])
                    .with_precision_and_scale(12, 2)
                    .unwrap(),
            ),
        ),
        ("b", Arc::new(BooleanArray::from(vec![Some(true), Some(false), None]))),
        // 2024-02-29 is day 19782 since the epoch.
        ("day", Arc::new(Date32Array::from(vec![Some(19782), Some(0), None]))),
        (
            "ts",
            Arc::new(TimestampMicrosecondArray::from(vec![
                Some(1_709_251_198_123_456),
                Some(0),
                None,
            ])),
        ),
        ("s", Arc::new(StringArray::from(vec![Some("Zoë ☃ \"q\""), Some(""), None]))),
        ("ls", Arc::new(LargeStringArray::from(vec![Some("large"), Some("x"), None]))),
        ("arr", Arc::new(arr)),
        ("st", Arc::new(st)),
    ];
    RecordBatch::try_from_iter(columns).unwrap()
}

const TYPED_JSON: [&str; 3] = [
    r#"{"id":1,"i8":-128,"i16":-32768,"i32":-2147483648,"u8":0,"u64":0,"f32":1.5,"f64":0.1,"dec":"10.50","b":true,"day":"2024-02-29","ts":"2024-02-29 23:59:58.123456","s":"Zoë ☃ \"q\"","ls":"large","arr":[1,null,3],"st":{"a":1,"b":"x"}}"#,
    r#"{"id":2,"i8":127,"i16":32767,"i32":2147483647,"u8":255,"u64":18446744073709551615,"f32":-3.25,"f64":-1e300,"dec":"-0.01","b":false,"day":"1970-01-01","ts":"1970-01-01 00:00:00","s":"","ls":"x","arr":[],"st":{"a":null,"b":"y"}}"#,
    r#"{"id":3,"st":{"a":0,"b":null}}"#,
];

fn orders_batch(ids: Vec<Option<i64>>, names: Vec<&str>, cents: Vec<i128>) -> RecordBatch {
    let amount = Decimal128Array::from(cents).with_precision_and_scale(12, 2).unwrap();
    RecordBatch::try_from_iter([
        ("id", Arc::new(Int64Array::from(ids)) as ArrayRef),
        ("name", Arc::new(StringArray::from(names)) as ArrayRef),
        ("amount", Arc::new(amount) as ArrayRef),
    ])
    .unwrap()
}

fn orders(emu: &Emulator) -> (Connector, Sink) {
    let c = Connector::new().expect("connector");
    c.add_sink("shop.*", &emu.opts("on_watermark"), root).expect("add_sink");
    let sink = c.open(&OpenParams::new("shop.orders", &["id", "name", "amount"])).expect("open");
    (c, sink)
}

const R1_DUMP: &str = r#"{"id":1,"name":"alice","amount":10.50}"#;
const R2_DUMP: &str = r#"{"id":2,"name":"bob","amount":20.00}"#;
const R3_DUMP: &str = r#"{"id":3,"name":"carol","amount":30.25}"#;

fn r123() -> RecordBatch {
    orders_batch(vec![Some(1), Some(2), Some(3)], vec!["alice", "bob", "carol"], vec![1050, 2000, 3025])
}

#[test]
fn every_type_lands_like_the_same_rows_written_as_json() {
    let emu = Emulator::start();
    let mut p = pair(&emu, TYPED);
    p.arrow.write_arrow(&typed_batch(), None).expect("write_arrow");
    p.json.upsert(&TYPED_JSON).expect("write");
    let (a, j) = p.land(&emu);
    assert_eq!(a.len(), 3);
    assert_eq!(a, j);
}

#[test]
fn a_sliced_batch_honours_its_offset() {
    let emu = Emulator::start();
    let mut p = pair(&emu, TYPED);
    p.arrow.write_arrow(&typed_batch().slice(1, 2), None).expect("write_arrow");
    p.json.upsert(&TYPED_JSON[1..]).expect("write");
    let (a, j) = p.land(&emu);
    assert_eq!(a.len(), 2);
    assert_eq!(a, j);
}

#[test]
fn ops_from_the_argument_or_an_op_field() {
    let emu = Emulator::start();
    let (_c, mut sink) = orders(&emu);
    sink.write_arrow(&r123(), None).unwrap();
    let keys = RecordBatch::try_from_iter([("id", Arc::new(Int64Array::from(vec![1])) as ArrayRef)]).unwrap();
    sink.write_arrow(&keys, Some(&[Op::Delete])).unwrap();
    let with_op = RecordBatch::try_from_iter([
        ("id", Arc::new(Int64Array::from(vec![3])) as ArrayRef),
        ("__op", Arc::new(Int8Array::from(vec![1])) as ArrayRef),
    ])
    .unwrap();
    sink.write_arrow(&with_op, None).unwrap();
    sink.on_watermark(1).unwrap();
    assert_eq!(emu.dump("shop", "orders"), vec![R2_DUMP.to_string()]);
    assert_eq!(sink.stats().unwrap().rows_deleted, 2);
}

#[test]
fn a_refused_batch_leaves_the_table_unchanged_and_the_sink_usable() {
    let emu = Emulator::start();
    let (_c, mut sink) = orders(&emu);
    sink.write_arrow(&r123().slice(0, 1), None).unwrap();
    let null_key = orders_batch(vec![Some(2), None], vec!["bob", "x"], vec![2000, 100]);
    let err = sink.write_arrow(&null_key, None).unwrap_err();
    assert_eq!(err.code(), Code::Data, "{}", err);
    assert!(err.message().contains("id"), "{}", err.message());
    let err = sink.write_arrow(&r123(), Some(&[Op::Upsert])).unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument, "{}", err);
    assert!(err.message().contains("ops has 1 entries for 3 rows"), "{}", err.message());
    assert_eq!(sink.stats().unwrap().rows_written, 1);
    sink.write_arrow(&r123().slice(1, 2), None).unwrap();
    sink.on_watermark(1).unwrap();
    assert_eq!(emu.dump("shop", "orders"), vec![R1_DUMP.to_string(), R2_DUMP.to_string(), R3_DUMP.to_string()]);
}

#[test]
fn an_older_library_refuses_write_arrow_only() {
    let emu = Emulator::start();
    let (_c, mut sink) = orders(&emu);
    sr_sink::test_hooks::with_abi_1_0_library(|| {
        let err = sink.write_arrow(&r123(), None).unwrap_err();
        assert_eq!(err.code(), Code::NotSupported, "{}", err);
        assert!(err.message().contains("1.2"), "{}", err.message());
    });
    sink.write_arrow(&r123(), None).unwrap();
    sink.on_watermark(1).unwrap();
    assert_eq!(emu.dump("shop", "orders").len(), 3);
}

// README begin
fn write_orders_as_arrow(sink: &mut Sink) -> Result<(), Box<dyn std::error::Error>> {
    use arrow_array::{ArrayRef, Decimal128Array, Int64Array, RecordBatch, StringArray};
    use std::sync::Arc;

    let amount = Decimal128Array::from(vec![1050, 2000]).with_precision_and_scale(12, 2)?;
    let batch = RecordBatch::try_from_iter([
        ("id", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
        ("name", Arc::new(StringArray::from(vec!["alice", "bob"])) as ArrayRef),
        ("amount", Arc::new(amount) as ArrayRef),
    ])?;
    sink.write_arrow(&batch, None)?; // all or nothing; the batch is only borrowed
    let keys = RecordBatch::try_from_iter([("id", Arc::new(Int64Array::from(vec![2])) as ArrayRef)])?;
    sink.write_arrow(&keys, Some(&[Op::Delete]))?; // or a field "__op"
    sink.on_watermark(1)?;
    Ok(())
}
// README end

#[test]
fn the_readme_example_runs_and_is_verbatim_in_the_readme() {
    let source = include_str!("arrow.rs");
    let begin = source.find("// README begin\n").unwrap() + "// README begin\n".len();
    let end = source.find("// README end").unwrap();
    let readme = include_str!("../../README.md");
    assert!(readme.contains(&source[begin..end]), "README.md's arrow example differs from tests/arrow.rs");
    let emu = Emulator::start();
    let (_c, mut sink) = orders(&emu);
    write_orders_as_arrow(&mut sink).unwrap();
    assert_eq!(emu.dump("shop", "orders"), vec![R1_DUMP.to_string()]);
}
