//! Native rows without a serialization crate: a row is a list (or map) of column → `Value`,
//! encoded to JSON by the binding.
use std::collections::{BTreeMap, HashMap};

use crate::batch::Row;

/// A column value. Decimals that must keep their precision are best passed as `Str` ("10.50"):
/// StarRocks converts JSON strings to the column type.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// Non-finite floats have no JSON form and are written as null.
    Float(f64),
    Str(String),
}

impl Value {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            Value::UInt(u) => out.extend_from_slice(u.to_string().as_bytes()),
            Value::Float(f) if f.is_finite() => out.extend_from_slice(format!("{:?}", f).as_bytes()),
            Value::Float(_) => out.extend_from_slice(b"null"),
            Value::Str(s) => write_json_string(s, out),
        }
    }
}

/// Writes `s` as a JSON string literal.
pub(crate) fn write_json_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes()),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

macro_rules! value_from {
    ($($t:ty => $variant:ident as $as:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Value { Value::$variant(v as $as) }
        }
    )*};
}
value_from!(i8 => Int as i64, i16 => Int as i64, i32 => Int as i64, i64 => Int as i64,
            u8 => UInt as u64, u16 => UInt as u64, u32 => UInt as u64, u64 => UInt as u64,
            f32 => Float as f64, f64 => Float as f64);

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Str(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Str(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

fn write_object<'a, K: AsRef<str> + 'a>(fields: impl Iterator<Item = (&'a K, &'a Value)>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (k, v)) in fields.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_string(k.as_ref(), out);
        out.push(b':');
        v.write_json(out);
    }
    out.push(b'}');
}

/// A row as (column, value) pairs, in the order given.
impl<K: AsRef<str>> Row for [(K, Value)] {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_object(self.iter().map(|(k, v)| (k, v)), out)
    }
}
impl<K: AsRef<str>> Row for Vec<(K, Value)> {
    fn write_json(&self, out: &mut Vec<u8>) {
        self.as_slice().write_json(out)
    }
}
impl<K: AsRef<str>, const N: usize> Row for [(K, Value); N] {
    fn write_json(&self, out: &mut Vec<u8>) {
        self.as_slice().write_json(out)
    }
}
impl<K: AsRef<str>> Row for BTreeMap<K, Value> {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_object(self.iter(), out)
    }
}
impl<K: AsRef<str>, S> Row for HashMap<K, Value, S> {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_object(self.iter(), out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<R: Row + ?Sized>(r: &R) -> String {
        let mut out = Vec::new();
        r.write_json(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn pairs_encode_in_order_with_escaping() {
        let row = [
            ("id", Value::from(1)),
            ("name", Value::from("a\"b\\c\n\u{1}é")),
            ("amount", Value::from("10.50")),
            ("vip", Value::from(true)),
            ("gone", Value::from(None::<i32>)),
            ("f", Value::from(f64::NAN)),
        ];
        assert_eq!(
            json(&row),
            r#"{"id":1,"name":"a\"b\\c\n\u0001é","amount":"10.50","vip":true,"gone":null,"f":null}"#
        );
    }

    #[test]
    fn floats_keep_a_json_number_form() {
        assert_eq!(json(&[("x", Value::from(1.5f64))]), r#"{"x":1.5}"#);
        assert_eq!(json(&[("x", Value::from(2.0f64))]), r#"{"x":2.0}"#);
    }
}
