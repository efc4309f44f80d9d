//! The ABI version handshake: done once, before the first connector is created.
//!
//! The binding was compiled against one header (`sr_sink_sys::SR_SINK_ABI_VERSION`). A library of
//! another major version has other struct layouts and semantics, so it is refused with a clear
//! error instead of being called. A newer minor version is fine (it only appends).
//!
//! The function table the handshake fills is kept: the functions added in ABI 1.1 and 1.2 are
//! called through its slots, never by symbol, so this binding also loads and runs with an older
//! library (whose table lacks them); only those calls then fail, with `Code::NotSupported`.
use std::sync::Mutex;

use sr_sink_sys as sys;

use crate::error::{Code, Error};

/// The result of the first check (the library's function table), reused by every later caller.
static CHECKED: Mutex<Option<Result<sys::sr_sink_vtable, Error>>> = Mutex::new(None);

thread_local! {
    /// Test hook (`test_hooks::with_library_abi_version`): the version the library pretends to
    /// report on this thread. Thread-local so that tests running in parallel are unaffected.
    pub(crate) static OVERRIDE: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
    /// Test hook (`test_hooks::with_abi_1_0_library`): on this thread, the function table looks
    /// like a 1.0 library's (no 1.1 slots).
    pub(crate) static AS_1_0: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Checks that the loaded libsr_sink speaks the ABI major version this binding was built for.
/// Cheap after the first call. `Connector::new` calls it; hosts may call it at start-up to fail
/// early.
pub fn check_abi() -> Result<(), Error> {
    if let Some(reported) = OVERRIDE.with(|o| o.get()) {
        return compatible(sys::SR_SINK_ABI_VERSION, reported);
    }
    vtable().map(|_| ())
}

/// The loaded library's function table, after the version check.
fn vtable() -> Result<sys::sr_sink_vtable, Error> {
    let mut checked = CHECKED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(result) = checked.as_ref() {
        return result.clone();
    }
    let result = probe();
    *checked = Some(result.clone());
    result
}

/// A function added after ABI 1.0, from the table slot `index` past the 1.0 table, or
/// `Code::NotSupported` (for this call only) when the loaded library does not have it: its table
/// is NULL there or ends before it.
fn since_1_1<F>(name: &str, index: usize, pick: impl FnOnce(&sys::sr_sink_vtable) -> Option<F>) -> Result<F, Error> {
    since(name, "1.1", index, pick)
}

fn since<F>(
    name: &str,
    version: &str,
    index: usize,
    pick: impl FnOnce(&sys::sr_sink_vtable) -> Option<F>,
) -> Result<F, Error> {
    check_abi()?;
    let table = vtable()?;
    let end = sys::SR_SINK_VTABLE_1_0_SIZE + (index + 1) * std::mem::size_of::<usize>();
    let present = !AS_1_0.with(|a| a.get()) && table.struct_size as usize >= end;
    match if present { pick(&table) } else { None } {
        Some(f) => Ok(f),
        None => Err(Error::new(
            Code::NotSupported,
            format!(
                "the loaded libsr_sink (ABI {}) does not provide {}, which needs ABI {} or newer",
                format_version(table.abi_version),
                name,
                version
            ),
        )),
    }
}

pub(crate) type RegisterFn = unsafe extern "C" fn(
    *mut sys::sr_sink_connector,
    *const sys::sr_sink_registration,
    *mut sys::sr_sink_error,
) -> i32;
pub(crate) type CommitTokenFn =
    unsafe extern "C" fn(*mut sys::sr_sink_connector, *const u8, usize, *mut sys::sr_sink_error) -> i32;
pub(crate) type TokenInspectFn =
    unsafe extern "C" fn(*const u8, usize, *mut sys::sr_sink_token_info, *mut sys::sr_sink_error) -> i32;

pub(crate) type WriteArrowFn = unsafe extern "C" fn(
    *mut sys::sr_sink,
    *mut sys::ArrowSchema,
    *mut sys::ArrowArray,
    *const u8,
    *mut sys::sr_sink_error,
) -> i32;

pub(crate) fn write_arrow() -> Result<WriteArrowFn, Error> {
    since("sr_sink_write_arrow", "1.2", 3, |t| t.write_arrow)
}

pub(crate) fn connector_register() -> Result<RegisterFn, Error> {
    since_1_1("sr_sink_connector_register", 0, |t| t.connector_register)
}

pub(crate) fn commit_token() -> Result<CommitTokenFn, Error> {
    since_1_1("sr_sink_commit_token", 1, |t| t.commit_token)
}

pub(crate) fn token_inspect() -> Result<TokenInspectFn, Error> {
    since_1_1("sr_sink_token_inspect", 2, |t| t.token_inspect)
}

fn probe() -> Result<sys::sr_sink_vtable, Error> {
    // SAFETY: no arguments; any thread.
    let reported = unsafe { sys::sr_sink_abi_version() };
    compatible(sys::SR_SINK_ABI_VERSION, reported)?;

    // The vtable entry point performs the library's own half of the handshake.
    let mut table = std::mem::MaybeUninit::<sys::sr_sink_vtable>::zeroed();
    // SAFETY: `table` is writable for size_of::<sr_sink_vtable>() bytes.
    let status = unsafe {
        sys::sr_sink_get_vtable(
            sys::SR_SINK_ABI_VERSION,
            table.as_mut_ptr(),
            std::mem::size_of::<sys::sr_sink_vtable>(),
        )
    };
    if status != sys::SR_SINK_OK {
        return Err(Error::new(
            Code::Version,
            format!(
                "libsr_sink refused this binding's ABI {} (status {}): {}",
                format_version(sys::SR_SINK_ABI_VERSION),
                crate::status_name(status),
                install_hint()
            ),
        ));
    }
    // SAFETY: zero-initialised, then filled by the library; every field is valid when zero.
    let table = unsafe { table.assume_init() };
    compatible(sys::SR_SINK_ABI_VERSION, table.abi_version)?;
    if (table.struct_size as usize) < sys::SR_SINK_VTABLE_1_0_SIZE {
        return Err(Error::new(
            Code::Version,
            format!(
                "libsr_sink filled only {} bytes of the {}-byte ABI 1.0 function table: {}",
                table.struct_size,
                sys::SR_SINK_VTABLE_1_0_SIZE,
                install_hint()
            ),
        ));
    }
    Ok(table)
}

/// `Ok` when a library reporting `library` can serve a binding built for `binding`.
pub(crate) fn compatible(binding: u32, library: u32) -> Result<(), Error> {
    if binding >> 16 == library >> 16 {
        return Ok(());
    }
    Err(Error::new(
        Code::Version,
        format!(
            "libsr_sink has ABI major version {} ({}) but this binding needs major version {} \
             (built for {}): {}",
            library >> 16,
            format_version(library),
            binding >> 16,
            format_version(binding),
            install_hint()
        ),
    ))
}

fn format_version(v: u32) -> String {
    format!("{}.{}", v >> 16, v & 0xffff)
}

fn install_hint() -> String {
    format!(
        "install libsr_sink.so.{} or use the sr-sink crate matching the installed library",
        sys::SR_SINK_ABI_VERSION_MAJOR
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_major_is_compatible_whatever_the_minor() {
        assert!(compatible(1 << 16, 1 << 16).is_ok());
        assert!(compatible(1 << 16, (1 << 16) | 7).is_ok());
        assert!(compatible((1 << 16) | 3, 1 << 16).is_ok());
    }

    #[test]
    fn another_major_is_refused_with_both_versions_named() {
        let err = compatible(1 << 16, 2 << 16).unwrap_err();
        assert_eq!(err.code(), Code::Version);
        assert!(err.message().contains("major version 2"), "{}", err.message());
        assert!(err.message().contains("major version 1"), "{}", err.message());
    }
}
