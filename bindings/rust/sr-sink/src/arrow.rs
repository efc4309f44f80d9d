//! Feature `arrow`: writing arrow-rs `RecordBatch`es (ABI 1.2, `sr_sink_write_arrow`).
//!
//! The batch is exported through arrow-rs's own FFI module (`arrow_array::ffi::to_ffi`) as a
//! struct array, and the two Arrow C Data Interface structs are moved into the library, which
//! reads the buffers in place (no JSON in between) and releases them before the call returns.
use arrow_array::ffi::{to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{Array, RecordBatch, StructArray};
use sr_sink_sys as sys;

use crate::batch::Op;
use crate::error::{Code, Error};
use crate::sink::Sink;

impl Sink {
    /// Writes one Arrow record batch. Its fields are named like the sink's columns (any subset,
    /// any order; every key column present). A row's op is `ops[i]` when given (one per row),
    /// else a field `__op` (int8/uint8 0/1, bool true = delete, utf8 "upsert"/"delete"), else
    /// upsert. All or nothing: a bad value, a field that is not a column, a null key fails the
    /// call naming the column and the row (`Code::Data` / `Code::InvalidArgument`), nothing of
    /// the batch is taken and the sink stays usable. Sliced batches are fine (offsets are
    /// honoured). The batch itself is only borrowed: its buffers are shared, not copied, with
    /// the exported structs, which the library releases before returning.
    ///
    /// `Code::NotSupported` with a libsr_sink older than ABI 1.2.
    pub fn write_arrow(&mut self, batch: &RecordBatch, ops: Option<&[Op]>) -> Result<(), Error> {
        let data = StructArray::from(batch.clone()).into_data();
        let (mut array, mut schema): (FFI_ArrowArray, FFI_ArrowSchema) = to_ffi(&data)
            .map_err(|e| Error::new(Code::InvalidArgument, format!("exporting the batch to Arrow C data: {}", e)))?;
        // SAFETY: arrow-rs's FFI structs are #[repr(C)] with the Arrow specification's layout,
        // which is the header's; they are valid and ours. The call takes them (it releases both
        // and sets release to NULL), so their Drop afterwards does nothing.
        unsafe {
            self.write_arrow_raw(
                &mut schema as *mut FFI_ArrowSchema as *mut sys::ArrowSchema,
                &mut array as *mut FFI_ArrowArray as *mut sys::ArrowArray,
                ops,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_rs_ffi_structs_have_the_headers_layout() {
        use std::mem::{align_of, size_of};
        assert_eq!(size_of::<FFI_ArrowSchema>(), size_of::<sys::ArrowSchema>());
        assert_eq!(size_of::<FFI_ArrowArray>(), size_of::<sys::ArrowArray>());
        assert_eq!(align_of::<FFI_ArrowSchema>(), align_of::<sys::ArrowSchema>());
        assert_eq!(align_of::<FFI_ArrowArray>(), align_of::<sys::ArrowArray>());
    }

    #[test]
    fn an_exported_batch_is_a_struct_with_its_offset() {
        use std::sync::Arc;
        let batch = RecordBatch::try_from_iter([(
            "id",
            Arc::new(arrow_array::Int64Array::from(vec![1, 2, 3])) as Arc<dyn Array>,
        )])
        .unwrap();
        let data = StructArray::from(batch.slice(1, 2)).into_data();
        let (array, schema) = to_ffi(&data).unwrap();
        // SAFETY: reinterpreting as the header's structs only to read plain fields.
        let (a, s) = unsafe {
            (&*(&array as *const FFI_ArrowArray as *const sys::ArrowArray),
             &*(&schema as *const FFI_ArrowSchema as *const sys::ArrowSchema))
        };
        assert_eq!(unsafe { std::ffi::CStr::from_ptr(s.format) }.to_str().unwrap(), "+s");
        assert_eq!(a.length, 2);
        assert_eq!(a.n_children, 1);
        assert!(a.release.is_some() && s.release.is_some());
    }
}
