//! Raw declarations of the libsr_sink C ABI, mirroring `abi/sr_sink.h` (ABI 1.2) one to one.
//!
//! Everything here is `unsafe` and follows the header's rules (ownership, threading,
//! `struct_size`). Use the `sr-sink` crate for a safe API. The layout tests at the bottom pin the
//! struct sizes and offsets of the header on 64-bit Linux, so a drift from the header fails
//! `cargo test` instead of corrupting memory.
//!
//! The functions added in ABI 1.1 (`sr_sink_connector_register`, `sr_sink_commit_token`,
//! `sr_sink_token_inspect`) are declared here too, but calling them directly makes the program
//! need a libsr_sink >= 1.1 at load time. The `sr-sink` crate reaches them through the
//! `sr_sink_vtable` slots instead, whose NULL in a 1.0 library it reports as NOT_SUPPORTED. The
//! same holds for `sr_sink_write_arrow` (since 1.2). The Arrow C Data Interface structs
//! (`ArrowSchema`, `ArrowArray`) are declared as the Arrow specification lays them out, so the
//! FFI structs of arrow-rs (`FFI_ArrowSchema`, `FFI_ArrowArray`) can be passed by pointer cast.
#![allow(non_camel_case_types)]
use std::os::raw::{c_char, c_void};

// ---- Version block ---------------------------------------------------------------------------

pub const SR_SINK_ABI_VERSION_MAJOR: u32 = 1;
pub const SR_SINK_ABI_VERSION_MINOR: u32 = 2;
/// The ABI version these declarations describe: major in the high 16 bits, minor in the low 16.
pub const SR_SINK_ABI_VERSION: u32 = (SR_SINK_ABI_VERSION_MAJOR << 16) | SR_SINK_ABI_VERSION_MINOR;

// ---- Status codes ----------------------------------------------------------------------------

pub const SR_SINK_OK: i32 = 0;
pub const SR_SINK_E_INVALID_ARGUMENT: i32 = 1;
pub const SR_SINK_E_CONFIG: i32 = 2;
pub const SR_SINK_E_NO_ROUTE: i32 = 3;
pub const SR_SINK_E_SCHEMA: i32 = 4;
pub const SR_SINK_E_DATA: i32 = 5;
pub const SR_SINK_E_AUTH: i32 = 6;
pub const SR_SINK_E_NETWORK: i32 = 7;
pub const SR_SINK_E_TIMEOUT: i32 = 8;
pub const SR_SINK_E_LOAD: i32 = 9;
pub const SR_SINK_E_TXN: i32 = 10;
pub const SR_SINK_E_STATE: i32 = 11;
pub const SR_SINK_E_NOT_SUPPORTED: i32 = 12;
pub const SR_SINK_E_RETRY_LATER: i32 = 13;
pub const SR_SINK_E_CANCELLED: i32 = 14;
pub const SR_SINK_E_RECOVERY: i32 = 15;
pub const SR_SINK_E_VERSION: i32 = 16;
pub const SR_SINK_E_NO_MEMORY: i32 = 17;
pub const SR_SINK_E_INTERNAL: i32 = 18;

pub const SR_SINK_ERROR_F_RETRYABLE: u32 = 0x1;
pub const SR_SINK_ERROR_F_FATAL: u32 = 0x2;
pub const SR_SINK_ERROR_F_DATA: u32 = 0x4;

pub const SR_SINK_ERROR_MESSAGE_MAX: usize = 1024;
pub const SR_SINK_ERROR_LABEL_MAX: usize = 136;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_error {
    pub struct_size: u32,
    pub code: i32,
    pub flags: u32,
    pub http_status: i32,
    pub label: [c_char; SR_SINK_ERROR_LABEL_MAX],
    pub message: [c_char; SR_SINK_ERROR_MESSAGE_MAX],
}

// ---- Opaque handles --------------------------------------------------------------------------

/// Opaque; only ever used behind a pointer.
#[repr(C)]
pub struct sr_sink_connector {
    _private: [u8; 0],
}

/// Opaque; only ever used behind a pointer.
#[repr(C)]
pub struct sr_sink {
    _private: [u8; 0],
}

// ---- Host callbacks --------------------------------------------------------------------------

pub const SR_SINK_LOG_ERROR: i32 = 1;
pub const SR_SINK_LOG_WARN: i32 = 2;
pub const SR_SINK_LOG_INFO: i32 = 3;
pub const SR_SINK_LOG_DEBUG: i32 = 4;

pub type sr_sink_host_log_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, level: i32, message: *const c_char)>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_host {
    pub struct_size: u32,
    pub log_level: i32,
    pub log: sr_sink_host_log_fn,
    pub log_user_data: *mut c_void,
}

pub const SR_SINK_CREDENTIAL_USER_MAX: usize = 256;
pub const SR_SINK_CREDENTIAL_PASSWORD_MAX: usize = 1024;

pub type sr_sink_host_credentials_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        table: *const c_char,
        after_auth_failure: i32,
        user: *mut c_char,
        password: *mut c_char,
    ) -> i32,
>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_credentials {
    pub struct_size: u32,
    pub reserved0: u32,
    pub get: sr_sink_host_credentials_fn,
    pub user_data: *mut c_void,
    pub release: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
}

// ---- Data ------------------------------------------------------------------------------------

pub const SR_SINK_OP_UPSERT: u8 = 0;
pub const SR_SINK_OP_DELETE: u8 = 1;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_slice {
    pub data: *const c_char,
    pub len: usize,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_batch {
    pub struct_size: u32,
    pub reserved0: u32,
    pub n_rows: usize,
    pub rows: *const sr_sink_slice,
    pub ops: *const u8,
}

// ---- Arrow C Data Interface (since 1.2) ------------------------------------------------------

pub const ARROW_FLAG_DICTIONARY_ORDERED: i64 = 1;
pub const ARROW_FLAG_NULLABLE: i64 = 2;
pub const ARROW_FLAG_MAP_KEYS_SORTED: i64 = 4;

/// `struct ArrowSchema` of the Arrow C Data Interface.
#[repr(C)]
pub struct ArrowSchema {
    pub format: *const c_char,
    pub name: *const c_char,
    pub metadata: *const c_char,
    pub flags: i64,
    pub n_children: i64,
    pub children: *mut *mut ArrowSchema,
    pub dictionary: *mut ArrowSchema,
    pub release: Option<unsafe extern "C" fn(schema: *mut ArrowSchema)>,
    pub private_data: *mut c_void,
}

/// `struct ArrowArray` of the Arrow C Data Interface.
#[repr(C)]
pub struct ArrowArray {
    pub length: i64,
    pub null_count: i64,
    pub offset: i64,
    pub n_buffers: i64,
    pub n_children: i64,
    pub buffers: *mut *const c_void,
    pub children: *mut *mut ArrowArray,
    pub dictionary: *mut ArrowArray,
    pub release: Option<unsafe extern "C" fn(array: *mut ArrowArray)>,
    pub private_data: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_open_params {
    pub struct_size: u32,
    pub n_columns: u32,
    pub table: *const c_char,
    pub columns: *const *const c_char,
    pub instance_id: *const c_char,
    pub restore_token: *const u8,
    pub restore_token_len: usize,
    /// Since 1.1: the host's primary key (0/null: not checked).
    pub n_key_columns: u32,
    pub reserved0: u32,
    pub key_columns: *const *const c_char,
}

#[repr(C)]
pub struct sr_sink_token {
    pub struct_size: u32,
    pub reserved0: u32,
    pub data: *const u8,
    pub len: usize,
    pub release: Option<unsafe extern "C" fn(token: *mut sr_sink_token)>,
    pub private_data: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct sr_sink_stats {
    pub struct_size: u32,
    pub reserved0: u32,
    pub rows_written: u64,
    pub rows_deleted: u64,
    pub bytes_written: u64,
    pub rows_loaded: u64,
    pub rows_filtered: u64,
    pub bytes_sent: u64,
    pub loads: u64,
    pub load_failures: u64,
    pub retries: u64,
    pub txns_begun: u64,
    pub txns_prepared: u64,
    pub txns_committed: u64,
    pub txns_aborted: u64,
    pub buffered_bytes: u64,
    pub last_load_ms: u64,
    pub server_load_ms: u64,
    /// Since 1.1.
    pub rows_rejected: u64,
    /// Since 1.2: episodes of StarRocks pushing back that the sink waited out.
    pub throttle_episodes: u64,
    /// Since 1.2: milliseconds spent backing off in those episodes.
    pub throttle_wait_ms: u64,
    /// Since 1.2: requests moved to another FE of http_url after a failure.
    pub fe_failovers: u64,
}

// ---- Rejected rows (since 1.1) ---------------------------------------------------------------

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_rejected_row {
    pub struct_size: u32,
    pub reserved0: u32,
    pub table: *const c_char,
    pub label: *const c_char,
    /// Not NUL-terminated: `row_len` bytes.
    pub row: *const c_char,
    pub row_len: usize,
    pub reason: *const c_char,
}

pub type sr_sink_host_rejected_row_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, row: *const sr_sink_rejected_row) -> i32>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_rejected_rows {
    pub struct_size: u32,
    pub reserved0: u32,
    pub on_row: sr_sink_host_rejected_row_fn,
    pub user_data: *mut c_void,
    pub release: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_registration {
    pub struct_size: u32,
    pub reserved0: u32,
    pub glob: *const c_char,
    pub options_json: *const c_char,
    pub credentials: *const sr_sink_credentials,
    pub rejected_rows: *const sr_sink_rejected_rows,
}

#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct sr_sink_token_info {
    pub struct_size: u32,
    pub execution_mode: i32,
    pub checkpoint_id: i64,
    pub n_transactions: u32,
    pub reserved0: u32,
}

pub const SR_SINK_MODE_ON_CHECKPOINT: i32 = 0;
pub const SR_SINK_MODE_ON_WATERMARK: i32 = 1;

// ---- Function table --------------------------------------------------------------------------

#[repr(C)]
#[derive(Clone, Copy)]
pub struct sr_sink_vtable {
    pub struct_size: u32,
    pub abi_version: u32,
    pub abi_version_fn: Option<unsafe extern "C" fn() -> u32>,
    pub version_string: Option<unsafe extern "C" fn() -> *const c_char>,
    pub build_info: Option<unsafe extern "C" fn() -> *const c_char>,
    pub status_name: Option<unsafe extern "C" fn(status: i32) -> *const c_char>,
    pub connector_new: Option<
        unsafe extern "C" fn(
            host: *const sr_sink_host,
            out: *mut *mut sr_sink_connector,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
    pub connector_add_sink: Option<
        unsafe extern "C" fn(
            connector: *mut sr_sink_connector,
            glob: *const c_char,
            options_json: *const c_char,
            credentials: *const sr_sink_credentials,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
    pub connector_free: Option<unsafe extern "C" fn(connector: *mut sr_sink_connector)>,
    pub open: Option<
        unsafe extern "C" fn(
            connector: *mut sr_sink_connector,
            params: *const sr_sink_open_params,
            out: *mut *mut sr_sink,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
    pub write: Option<
        unsafe extern "C" fn(sink: *mut sr_sink, batch: *const sr_sink_batch, err: *mut sr_sink_error) -> i32,
    >,
    pub on_watermark:
        Option<unsafe extern "C" fn(sink: *mut sr_sink, watermark: i64, err: *mut sr_sink_error) -> i32>,
    pub on_checkpoint: Option<
        unsafe extern "C" fn(
            sink: *mut sr_sink,
            checkpoint_id: i64,
            token: *mut sr_sink_token,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
    pub commit:
        Option<unsafe extern "C" fn(sink: *mut sr_sink, checkpoint_id: i64, err: *mut sr_sink_error) -> i32>,
    pub abort:
        Option<unsafe extern "C" fn(sink: *mut sr_sink, checkpoint_id: i64, err: *mut sr_sink_error) -> i32>,
    pub cancel: Option<unsafe extern "C" fn(sink: *mut sr_sink)>,
    pub close: Option<unsafe extern "C" fn(sink: *mut sr_sink, err: *mut sr_sink_error) -> i32>,
    pub get_stats: Option<
        unsafe extern "C" fn(sink: *mut sr_sink, out: *mut sr_sink_stats, err: *mut sr_sink_error) -> i32,
    >,
    // Since 1.1: NULL (or beyond struct_size) in a 1.0 library.
    pub connector_register: Option<
        unsafe extern "C" fn(
            connector: *mut sr_sink_connector,
            reg: *const sr_sink_registration,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
    pub commit_token: Option<
        unsafe extern "C" fn(
            connector: *mut sr_sink_connector,
            token: *const u8,
            token_len: usize,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
    pub token_inspect: Option<
        unsafe extern "C" fn(
            token: *const u8,
            token_len: usize,
            out: *mut sr_sink_token_info,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
    // Since 1.2: NULL (or beyond struct_size) in an older library.
    pub write_arrow: Option<
        unsafe extern "C" fn(
            sink: *mut sr_sink,
            schema: *mut ArrowSchema,
            array: *mut ArrowArray,
            ops: *const u8,
            err: *mut sr_sink_error,
        ) -> i32,
    >,
}

/// Bytes of the ABI 1.0 function table: where the first 1.1 slot begins.
pub const SR_SINK_VTABLE_1_0_SIZE: usize = 8 + 16 * 8;

// ---- Functions -------------------------------------------------------------------------------

extern "C" {
    pub fn sr_sink_abi_version() -> u32;
    pub fn sr_sink_version_string() -> *const c_char;
    pub fn sr_sink_build_info() -> *const c_char;
    pub fn sr_sink_status_name(status: i32) -> *const c_char;

    pub fn sr_sink_connector_new(
        host: *const sr_sink_host,
        out: *mut *mut sr_sink_connector,
        err: *mut sr_sink_error,
    ) -> i32;
    pub fn sr_sink_connector_add_sink(
        connector: *mut sr_sink_connector,
        glob: *const c_char,
        options_json: *const c_char,
        credentials: *const sr_sink_credentials,
        err: *mut sr_sink_error,
    ) -> i32;
    pub fn sr_sink_connector_free(connector: *mut sr_sink_connector);

    pub fn sr_sink_open(
        connector: *mut sr_sink_connector,
        params: *const sr_sink_open_params,
        out: *mut *mut sr_sink,
        err: *mut sr_sink_error,
    ) -> i32;
    pub fn sr_sink_write(sink: *mut sr_sink, batch: *const sr_sink_batch, err: *mut sr_sink_error) -> i32;
    pub fn sr_sink_on_watermark(sink: *mut sr_sink, watermark: i64, err: *mut sr_sink_error) -> i32;
    pub fn sr_sink_on_checkpoint(
        sink: *mut sr_sink,
        checkpoint_id: i64,
        token: *mut sr_sink_token,
        err: *mut sr_sink_error,
    ) -> i32;
    pub fn sr_sink_commit(sink: *mut sr_sink, checkpoint_id: i64, err: *mut sr_sink_error) -> i32;
    pub fn sr_sink_abort(sink: *mut sr_sink, checkpoint_id: i64, err: *mut sr_sink_error) -> i32;
    pub fn sr_sink_cancel(sink: *mut sr_sink);
    pub fn sr_sink_close(sink: *mut sr_sink, err: *mut sr_sink_error) -> i32;
    pub fn sr_sink_get_stats(sink: *mut sr_sink, out: *mut sr_sink_stats, err: *mut sr_sink_error) -> i32;

    pub fn sr_sink_get_vtable(host_abi_version: u32, out: *mut sr_sink_vtable, out_size: usize) -> i32;

    /// Since 1.1 (needs libsr_sink >= 1.1 at load time when called directly).
    pub fn sr_sink_connector_register(
        connector: *mut sr_sink_connector,
        reg: *const sr_sink_registration,
        err: *mut sr_sink_error,
    ) -> i32;
    /// Since 1.1 (needs libsr_sink >= 1.1 at load time when called directly).
    pub fn sr_sink_commit_token(
        connector: *mut sr_sink_connector,
        token: *const u8,
        token_len: usize,
        err: *mut sr_sink_error,
    ) -> i32;
    /// Since 1.1 (needs libsr_sink >= 1.1 at load time when called directly).
    pub fn sr_sink_token_inspect(
        token: *const u8,
        token_len: usize,
        out: *mut sr_sink_token_info,
        err: *mut sr_sink_error,
    ) -> i32;
    /// Since 1.2 (needs libsr_sink >= 1.2 at load time when called directly). Takes ownership
    /// of `*schema` and `*array` (it releases both and sets their release to NULL).
    pub fn sr_sink_write_arrow(
        sink: *mut sr_sink,
        schema: *mut ArrowSchema,
        array: *mut ArrowArray,
        ops: *const u8,
        err: *mut sr_sink_error,
    ) -> i32;
}

#[cfg(all(test, target_pointer_width = "64"))]
mod layout {
    //! Sizes and offsets as a C compiler lays out sr_sink.h on LP64 targets.
    use super::*;
    use std::mem::size_of;

    macro_rules! offset_of {
        ($t:ty, $f:ident) => {{
            let v = std::mem::MaybeUninit::<$t>::uninit();
            let base = v.as_ptr() as usize;
            // SAFETY: addr_of! on a field of an uninitialised value computes an address only.
            let field = unsafe { std::ptr::addr_of!((*v.as_ptr()).$f) } as usize;
            field - base
        }};
    }

    #[test]
    fn struct_sizes_match_the_header() {
        assert_eq!(size_of::<sr_sink_error>(), 16 + 136 + 1024);
        assert_eq!(size_of::<sr_sink_host>(), 24);
        assert_eq!(size_of::<sr_sink_credentials>(), 32);
        assert_eq!(size_of::<sr_sink_slice>(), 16);
        assert_eq!(size_of::<sr_sink_batch>(), 32);
        assert_eq!(size_of::<sr_sink_open_params>(), 64);
        assert_eq!(size_of::<sr_sink_token>(), 40);
        assert_eq!(size_of::<sr_sink_stats>(), 8 + 20 * 8);
        assert_eq!(size_of::<sr_sink_vtable>(), 8 + 20 * 8);
        assert_eq!(size_of::<ArrowSchema>(), 72);
        assert_eq!(size_of::<ArrowArray>(), 80);
        assert_eq!(size_of::<sr_sink_rejected_row>(), 48);
        assert_eq!(size_of::<sr_sink_rejected_rows>(), 32);
        assert_eq!(size_of::<sr_sink_registration>(), 40);
        assert_eq!(size_of::<sr_sink_token_info>(), 24);
    }

    #[test]
    fn field_offsets_match_the_header() {
        assert_eq!(offset_of!(sr_sink_error, label), 16);
        assert_eq!(offset_of!(sr_sink_error, message), 152);
        assert_eq!(offset_of!(sr_sink_host, log), 8);
        assert_eq!(offset_of!(sr_sink_credentials, release), 24);
        assert_eq!(offset_of!(sr_sink_open_params, restore_token_len), 40);
        assert_eq!(offset_of!(sr_sink_open_params, n_key_columns), 48);
        assert_eq!(offset_of!(sr_sink_open_params, key_columns), 56);
        assert_eq!(offset_of!(sr_sink_token, release), 24);
        assert_eq!(offset_of!(sr_sink_stats, server_load_ms), 8 + 15 * 8);
        assert_eq!(offset_of!(sr_sink_vtable, get_stats), 8 + 15 * 8);
        assert_eq!(offset_of!(sr_sink_stats, rows_rejected), 8 + 16 * 8);
        assert_eq!(offset_of!(sr_sink_vtable, connector_register), SR_SINK_VTABLE_1_0_SIZE);
        assert_eq!(offset_of!(sr_sink_vtable, token_inspect), 8 + 18 * 8);
        assert_eq!(offset_of!(sr_sink_vtable, write_arrow), 8 + 19 * 8);
        assert_eq!(offset_of!(sr_sink_stats, throttle_episodes), 8 + 17 * 8);
        assert_eq!(offset_of!(sr_sink_stats, fe_failovers), 8 + 19 * 8);
        assert_eq!(offset_of!(ArrowSchema, flags), 24);
        assert_eq!(offset_of!(ArrowSchema, release), 56);
        assert_eq!(offset_of!(ArrowSchema, private_data), 64);
        assert_eq!(offset_of!(ArrowArray, buffers), 40);
        assert_eq!(offset_of!(ArrowArray, release), 64);
        assert_eq!(offset_of!(ArrowArray, private_data), 72);
        assert_eq!(offset_of!(sr_sink_rejected_row, row_len), 32);
        assert_eq!(offset_of!(sr_sink_rejected_row, reason), 40);
        assert_eq!(offset_of!(sr_sink_rejected_rows, release), 24);
        assert_eq!(offset_of!(sr_sink_registration, rejected_rows), 32);
        assert_eq!(offset_of!(sr_sink_token_info, checkpoint_id), 8);
        assert_eq!(offset_of!(sr_sink_token_info, n_transactions), 16);
    }
}
