//! Safe Rust API of libsr_sink, a StarRocks sink for stream engines.
//!
//! * [`Connector`] — registry of sinks: a glob over "db.table" picks the options (JSON) and the
//!   credentials callback. Shared handle, `Send + Sync`.
//! * [`Sink`] — the writer of one table: [`Sink::write`] upserts and deletes, then either
//!   [`Sink::on_watermark`] (at-least-once, visible at once) or [`Sink::on_checkpoint`] +
//!   [`Sink::commit`] (exactly-once 2PC; the returned [`Token`] restores after a restart).
//!   `Send`, not `Sync`; dropping it closes it.
//! * Every fallible call returns `Result<_, Error>`; [`Error::code`] says what kind of failure,
//!   [`Error::is_retryable`] / [`Error::is_fatal`] what to do about it.
//! * ABI 1.1: [`Connector::register`] (a rejected-rows callback), [`Connector::commit_token`]
//!   (commit a stored token with no sink open), [`token_inspect`]. They are called through the
//!   library's function table, so the binding still runs with a 1.0 library: those calls then
//!   return `Code::NotSupported`, everything else works.
//! * ABI 1.2: [`Sink::write_arrow_raw`] writes an Arrow record batch given as Arrow C Data
//!   Interface structs; with the feature `arrow`, `Sink::write_arrow` takes an arrow-rs
//!   `RecordBatch` (arrow-array from crates.io; the default features pull no crate).
//!
//! The binding checks at the first [`Connector`] that the loaded library speaks ABI major
//! version 1 and refuses another one with `Code::Version`.
//!
//! A sink cannot be shared between threads without a lock (it is `Send`, not `Sync`):
//! ```compile_fail
//! fn assert_sync<T: Sync>() {}
//! assert_sync::<sr_sink::Sink>();
//! ```
mod abi;
#[cfg(feature = "arrow")]
mod arrow;
mod batch;
mod callbacks;
mod connector;
mod error;
mod sink;
#[doc(hidden)]
pub mod test_hooks;
mod token;
mod value;

pub use abi::check_abi;
pub use batch::{Batch, Op, Row};
pub use callbacks::{
    Credentials, CredentialsError, CredentialsRequest, LogLevel, RejectedRow, RejectedRowError,
};
pub use connector::Connector;
pub use error::{Code, Error};
pub use sink::{CancelHandle, OpenParams, Sink, Stats};
pub use token::{token_inspect, ExecutionMode, Token, TokenInfo};
pub use value::Value;

use sr_sink_sys as sys;

/// The ABI version this binding was compiled for (major << 16 | minor).
pub const ABI_VERSION: u32 = sys::SR_SINK_ABI_VERSION;

/// The ABI version of the loaded library (major << 16 | minor).
pub fn library_abi_version() -> u32 {
    // SAFETY: no arguments; any thread.
    unsafe { sys::sr_sink_abi_version() }
}

/// The loaded library's version ("1.0.0").
pub fn version() -> &'static str {
    // SAFETY: returns a static string.
    error::static_str(unsafe { sys::sr_sink_version_string() })
}

/// Build information of the loaded library (compiler, build type, libcurl version).
pub fn build_info() -> &'static str {
    // SAFETY: returns a static string.
    error::static_str(unsafe { sys::sr_sink_build_info() })
}

/// The library's name of a status code ("SR_SINK_E_CONFIG").
pub fn status_name(status: i32) -> &'static str {
    // SAFETY: returns a static string for any input.
    error::static_str(unsafe { sys::sr_sink_status_name(status) })
}

#[cfg(test)]
mod thread_bounds {
    //! Compile-time checks of the promised auto traits.
    use super::*;
    fn assert_send<T: Send>() {}
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn sinks_are_send_connectors_and_tokens_are_send_sync() {
        assert_send::<Sink>();
        assert_send_sync::<Connector>();
        assert_send_sync::<Token>();
        assert_send_sync::<CancelHandle>();
        assert_send_sync::<Error>();
    }
}
