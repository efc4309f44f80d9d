//! Rows handed to `Sink::write`: JSON objects, each with an op (upsert or delete).
use sr_sink_sys as sys;

/// What a row does to the table's Primary Key row (StarRocks `__op`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Upsert,
    /// Needs only the key columns.
    Delete,
}

impl Op {
    pub(crate) fn to_raw(self) -> u8 {
        match self {
            Op::Upsert => sys::SR_SINK_OP_UPSERT,
            Op::Delete => sys::SR_SINK_OP_DELETE,
        }
    }
}

/// A value that can be written as a row: one JSON object whose keys are among the sink's columns.
/// Implemented for JSON text (`str`, `String`, `[u8]`, `Vec<u8>`); implement it for your own
/// types to encode them without an intermediate string.
pub trait Row {
    /// Appends the row's JSON object (no trailing newline) to `out`.
    fn write_json(&self, out: &mut Vec<u8>);
}

impl Row for str {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}
impl Row for String {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}
impl Row for [u8] {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
}
impl Row for Vec<u8> {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
}
impl<T: Row + ?Sized> Row for &T {
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}

/// An owned batch of rows in one buffer. Reusable: `clear()` keeps the allocations.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    bytes: Vec<u8>,
    /// Row i is bytes[ends[i-1]..ends[i]] (ends[-1] = 0).
    ends: Vec<usize>,
    ops: Vec<u8>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }
    /// Appends a row with `op`.
    pub fn push<R: Row + ?Sized>(&mut self, op: Op, row: &R) -> &mut Batch {
        row.write_json(&mut self.bytes);
        self.ends.push(self.bytes.len());
        self.ops.push(op.to_raw());
        self
    }
    pub fn upsert<R: Row + ?Sized>(&mut self, row: &R) -> &mut Batch {
        self.push(Op::Upsert, row)
    }
    pub fn delete<R: Row + ?Sized>(&mut self, row: &R) -> &mut Batch {
        self.push(Op::Delete, row)
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.ops.clear();
    }

    /// The slices and ops of the C batch; they borrow `self`.
    pub(crate) fn slices(&self) -> Vec<sys::sr_sink_slice> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let s = sys::sr_sink_slice {
                    data: self.bytes[start..end].as_ptr() as *const std::os::raw::c_char,
                    len: end - start,
                };
                start = end;
                s
            })
            .collect()
    }
    pub(crate) fn ops(&self) -> &[u8] {
        &self.ops
    }
}
