//! The library's status codes and error details as Rust values.
use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_char;

use sr_sink_sys as sys;

/// A libsr_sink status code (`SR_SINK_E_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    InvalidArgument,
    Config,
    NoRoute,
    Schema,
    Data,
    Auth,
    Network,
    Timeout,
    Load,
    Txn,
    State,
    NotSupported,
    RetryLater,
    Cancelled,
    Recovery,
    Version,
    NoMemory,
    Internal,
    /// A code this binding does not know (a newer minor version of the library).
    Unknown(i32),
}

impl Code {
    /// The code for a non-zero status returned by the library.
    pub fn from_raw(status: i32) -> Code {
        match status {
            sys::SR_SINK_E_INVALID_ARGUMENT => Code::InvalidArgument,
            sys::SR_SINK_E_CONFIG => Code::Config,
            sys::SR_SINK_E_NO_ROUTE => Code::NoRoute,
            sys::SR_SINK_E_SCHEMA => Code::Schema,
            sys::SR_SINK_E_DATA => Code::Data,
            sys::SR_SINK_E_AUTH => Code::Auth,
            sys::SR_SINK_E_NETWORK => Code::Network,
            sys::SR_SINK_E_TIMEOUT => Code::Timeout,
            sys::SR_SINK_E_LOAD => Code::Load,
            sys::SR_SINK_E_TXN => Code::Txn,
            sys::SR_SINK_E_STATE => Code::State,
            sys::SR_SINK_E_NOT_SUPPORTED => Code::NotSupported,
            sys::SR_SINK_E_RETRY_LATER => Code::RetryLater,
            sys::SR_SINK_E_CANCELLED => Code::Cancelled,
            sys::SR_SINK_E_RECOVERY => Code::Recovery,
            sys::SR_SINK_E_VERSION => Code::Version,
            sys::SR_SINK_E_NO_MEMORY => Code::NoMemory,
            sys::SR_SINK_E_INTERNAL => Code::Internal,
            other => Code::Unknown(other),
        }
    }

    /// The raw `SR_SINK_E_*` value.
    pub fn to_raw(self) -> i32 {
        match self {
            Code::InvalidArgument => sys::SR_SINK_E_INVALID_ARGUMENT,
            Code::Config => sys::SR_SINK_E_CONFIG,
            Code::NoRoute => sys::SR_SINK_E_NO_ROUTE,
            Code::Schema => sys::SR_SINK_E_SCHEMA,
            Code::Data => sys::SR_SINK_E_DATA,
            Code::Auth => sys::SR_SINK_E_AUTH,
            Code::Network => sys::SR_SINK_E_NETWORK,
            Code::Timeout => sys::SR_SINK_E_TIMEOUT,
            Code::Load => sys::SR_SINK_E_LOAD,
            Code::Txn => sys::SR_SINK_E_TXN,
            Code::State => sys::SR_SINK_E_STATE,
            Code::NotSupported => sys::SR_SINK_E_NOT_SUPPORTED,
            Code::RetryLater => sys::SR_SINK_E_RETRY_LATER,
            Code::Cancelled => sys::SR_SINK_E_CANCELLED,
            Code::Recovery => sys::SR_SINK_E_RECOVERY,
            Code::Version => sys::SR_SINK_E_VERSION,
            Code::NoMemory => sys::SR_SINK_E_NO_MEMORY,
            Code::Internal => sys::SR_SINK_E_INTERNAL,
            Code::Unknown(raw) => raw,
        }
    }

    /// The library's name of the code ("SR_SINK_E_CONFIG").
    pub fn name(self) -> &'static str {
        crate::status_name(self.to_raw())
    }
}

/// An error returned by libsr_sink, or by this binding before it called the library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: Code,
    flags: u32,
    http_status: i32,
    label: String,
    message: String,
}

impl Error {
    /// An error raised by the binding itself (argument checks, closed handles, version check).
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Error {
        Error { code, flags: 0, http_status: 0, label: String::new(), message: message.into() }
    }

    /// Converts the status and details of a library call.
    pub(crate) fn from_raw(status: i32, raw: &sys::sr_sink_error) -> Error {
        // The library sets raw.code to the status; trust the return value if they differ.
        Error {
            code: Code::from_raw(status),
            flags: raw.flags,
            http_status: raw.http_status,
            label: c_buf_to_string(&raw.label),
            message: c_buf_to_string(&raw.message),
        }
    }

    pub fn code(&self) -> Code {
        self.code
    }
    /// The same call may succeed if repeated later.
    pub fn is_retryable(&self) -> bool {
        self.flags & sys::SR_SINK_ERROR_F_RETRYABLE != 0
    }
    /// The sink is unusable: close it (and, in on_checkpoint mode, restore from the last token).
    pub fn is_fatal(&self) -> bool {
        self.flags & sys::SR_SINK_ERROR_F_FATAL != 0
    }
    /// Caused by the data itself: retrying the same rows fails again.
    pub fn is_data(&self) -> bool {
        self.flags & sys::SR_SINK_ERROR_F_DATA != 0
    }
    /// The last HTTP status involved, if any.
    pub fn http_status(&self) -> Option<u16> {
        if self.http_status > 0 && self.http_status <= u16::MAX as i32 {
            Some(self.http_status as u16)
        } else {
            None
        }
    }
    /// The StarRocks label involved, if any.
    pub fn label(&self) -> Option<&str> {
        if self.label.is_empty() {
            None
        } else {
            Some(&self.label)
        }
    }
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)?;
        if let Some(label) = self.label() {
            write!(f, " (label {})", label)?;
        }
        if let Some(status) = self.http_status() {
            write!(f, " (HTTP {})", status)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// A fresh error struct for one call.
pub(crate) fn raw_error() -> sys::sr_sink_error {
    sys::sr_sink_error {
        struct_size: std::mem::size_of::<sys::sr_sink_error>() as u32,
        code: 0,
        flags: 0,
        http_status: 0,
        label: [0; sys::SR_SINK_ERROR_LABEL_MAX],
        message: [0; sys::SR_SINK_ERROR_MESSAGE_MAX],
    }
}

/// Runs one library call with an error struct and turns a non-zero status into an Error.
pub(crate) fn check(call: impl FnOnce(*mut sys::sr_sink_error) -> i32) -> Result<(), Error> {
    let mut raw = raw_error();
    let status = call(&mut raw);
    if status == sys::SR_SINK_OK {
        Ok(())
    } else {
        Err(Error::from_raw(status, &raw))
    }
}

/// A NUL-terminated C buffer as a String; stops at the buffer's end if the NUL is missing.
fn c_buf_to_string(buf: &[c_char]) -> String {
    let bytes: Vec<u8> = buf.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A static C string from the library (may be NULL).
pub(crate) fn static_str(p: *const c_char) -> &'static str {
    if p.is_null() {
        return "";
    }
    // SAFETY: the library documents these strings as static and NUL-terminated.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("")
}
