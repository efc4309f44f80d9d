//! Host callbacks (credentials, log) as Rust closures behind the C function pointers.
//!
//! The library may call them from its own I/O threads, concurrently for different sinks, so the
//! closures are `Send + Sync`. A panic never unwinds into C: it is caught, and a credentials
//! callback that panicked reports failure (the request fails with `Code::Auth`).
use std::ffi::CStr;
use std::os::raw::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

use sr_sink_sys as sys;

/// What the library asks the credentials callback for.
#[derive(Debug, Clone, Copy)]
pub struct CredentialsRequest<'a> {
    /// "db.table" of the sink making the request.
    pub table: &'a str,
    /// StarRocks answered 401 for the credentials returned last time: rotate if you can.
    pub after_auth_failure: bool,
}

/// A user name and password. The password is overwritten with zeros when this value is dropped.
pub struct Credentials {
    user: String,
    password: String,
}

impl Credentials {
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials { user: user.into(), password: password.into() }
    }
    pub fn user(&self) -> &str {
        &self.user
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password.
        f.debug_struct("Credentials").field("user", &self.user).finish_non_exhaustive()
    }
}

impl Drop for Credentials {
    fn drop(&mut self) {
        wipe(&mut self.password);
    }
}

fn wipe(s: &mut String) {
    // SAFETY: zero bytes keep the String valid UTF-8.
    let bytes = unsafe { s.as_mut_vec() };
    for b in bytes.iter_mut() {
        // Volatile so the compiler cannot drop a store to memory that is about to be freed.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
}

/// The error type a credentials callback may return; its text is not passed to the library.
pub type CredentialsError = Box<dyn std::error::Error + Send + Sync>;

pub(crate) type CredentialsFn =
    dyn Fn(&CredentialsRequest<'_>) -> Result<Credentials, CredentialsError> + Send + Sync;

/// Owned by the library from add_sink until it calls `release_credentials`.
pub(crate) struct CredentialsState {
    pub(crate) callback: Box<CredentialsFn>,
}

pub(crate) unsafe extern "C" fn credentials_trampoline(
    user_data: *mut c_void,
    table: *const c_char,
    after_auth_failure: i32,
    user: *mut c_char,
    password: *mut c_char,
) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if user_data.is_null() || user.is_null() || password.is_null() {
            return 1;
        }
        let state = &*(user_data as *const CredentialsState);
        let table = if table.is_null() { "" } else { CStr::from_ptr(table).to_str().unwrap_or("") };
        let request = CredentialsRequest { table, after_auth_failure: after_auth_failure != 0 };
        match (state.callback)(&request) {
            Ok(creds) => {
                if copy_c_string(&creds.user, user, sys::SR_SINK_CREDENTIAL_USER_MAX)
                    && copy_c_string(&creds.password, password, sys::SR_SINK_CREDENTIAL_PASSWORD_MAX)
                {
                    0
                } else {
                    1
                }
            }
            Err(_) => 1,
        }
    }));
    outcome.unwrap_or(1)
}

pub(crate) unsafe extern "C" fn release_credentials(user_data: *mut c_void) {
    if !user_data.is_null() {
        // A panicking Drop of a captured value must not unwind into C either.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(user_data as *mut CredentialsState))));
    }
}

/// Copies `s` with its NUL into a library buffer of `cap` bytes. Refuses (false) values that do
/// not fit or contain a NUL, rather than truncating a secret.
unsafe fn copy_c_string(s: &str, dst: *mut c_char, cap: usize) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() >= cap || bytes.contains(&0) {
        return false;
    }
    std::ptr::copy_nonoverlapping(bytes.as_ptr() as *const c_char, dst, bytes.len());
    *dst.add(bytes.len()) = 0;
    true
}

/// Log levels, most severe first. A connector delivers messages up to the level it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
}

impl LogLevel {
    pub(crate) fn to_raw(self) -> i32 {
        match self {
            LogLevel::Error => sys::SR_SINK_LOG_ERROR,
            LogLevel::Warn => sys::SR_SINK_LOG_WARN,
            LogLevel::Info => sys::SR_SINK_LOG_INFO,
            LogLevel::Debug => sys::SR_SINK_LOG_DEBUG,
        }
    }
    fn from_raw(level: i32) -> LogLevel {
        match level {
            sys::SR_SINK_LOG_ERROR => LogLevel::Error,
            sys::SR_SINK_LOG_WARN => LogLevel::Warn,
            sys::SR_SINK_LOG_INFO => LogLevel::Info,
            _ => LogLevel::Debug,
        }
    }
}

pub(crate) type LogFn = dyn Fn(LogLevel, &str) + Send + Sync;

/// Owned by the connector; must outlive sr_sink_connector_free.
pub(crate) struct LogState {
    pub(crate) callback: Box<LogFn>,
}

pub(crate) unsafe extern "C" fn log_trampoline(user_data: *mut c_void, level: i32, message: *const c_char) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if user_data.is_null() || message.is_null() {
            return;
        }
        let state = &*(user_data as *const LogState);
        let message = CStr::from_ptr(message).to_string_lossy();
        (state.callback)(LogLevel::from_raw(level), &message);
    }));
}

/// One row StarRocks rejected (filtered), as its error log (the load's ErrorURL) reports it.
/// Borrowed for the callback: copy what you keep.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RejectedRow<'a> {
    /// "db.table" of the sink whose load reported it.
    pub table: &'a str,
    /// The label of the load or transaction that reported it.
    pub label: &'a str,
    /// The row as StarRocks reports it (may be cut by StarRocks; empty when it reported none).
    pub row: &'a [u8],
    /// StarRocks' reason for this row ("" if none).
    pub reason: &'a str,
}

impl RejectedRow<'_> {
    /// The row as text (invalid UTF-8 replaced).
    pub fn row_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.row)
    }
}

/// The error a rejected-rows callback returns when it could not take a row; its text is not
/// passed to the library.
pub type RejectedRowError = Box<dyn std::error::Error + Send + Sync>;

pub(crate) type RejectedRowsFn = dyn Fn(&RejectedRow<'_>) -> Result<(), RejectedRowError> + Send + Sync;

/// Owned by the library from register until it calls `release_rejected_rows`.
pub(crate) struct RejectedRowsState {
    pub(crate) callback: Box<RejectedRowsFn>,
}

/// Reads a NUL-terminated string of the library, replacing invalid UTF-8.
unsafe fn lossy<'a>(p: *const c_char) -> std::borrow::Cow<'a, str> {
    if p.is_null() {
        std::borrow::Cow::Borrowed("")
    } else {
        CStr::from_ptr(p).to_string_lossy()
    }
}

pub(crate) unsafe extern "C" fn rejected_row_trampoline(
    user_data: *mut c_void,
    row: *const sys::sr_sink_rejected_row,
) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if user_data.is_null() || row.is_null() {
            return 1;
        }
        let state = &*(user_data as *const RejectedRowsState);
        let raw = &*row;
        // The library's struct_size: read only the fields it has.
        let size = raw.struct_size as usize;
        let fits = |end: usize| size >= end;
        let ptr_size = std::mem::size_of::<usize>();
        let table = if fits(8 + ptr_size) { lossy(raw.table) } else { "".into() };
        let label = if fits(8 + 2 * ptr_size) { lossy(raw.label) } else { "".into() };
        let bytes: &[u8] = if fits(8 + 4 * ptr_size) && !raw.row.is_null() && raw.row_len > 0 {
            std::slice::from_raw_parts(raw.row as *const u8, raw.row_len)
        } else {
            &[]
        };
        let reason = if fits(8 + 5 * ptr_size) { lossy(raw.reason) } else { "".into() };
        let view = RejectedRow { table: &table, label: &label, row: bytes, reason: &reason };
        match (state.callback)(&view) {
            Ok(()) => 0,
            Err(_) => 1,
        }
    }));
    // A panic is a failure to take the row: the load's outcome fails with Code::Data.
    outcome.unwrap_or(1)
}

pub(crate) unsafe extern "C" fn release_rejected_rows(user_data: *mut c_void) {
    if !user_data.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(user_data as *mut RejectedRowsState))));
    }
}
