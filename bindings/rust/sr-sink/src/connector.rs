//! The connector: registry of sinks (glob → options + credentials), shared HTTP pool and budget.
use std::ffi::CString;
use std::os::raw::c_void;
use std::sync::{Mutex, RwLock, Weak};

use sr_sink_sys as sys;

use crate::callbacks::{
    credentials_trampoline, log_trampoline, rejected_row_trampoline, release_credentials,
    release_rejected_rows, Credentials, CredentialsError, CredentialsRequest, CredentialsState,
    LogLevel, LogState, RejectedRow, RejectedRowError, RejectedRowsState,
};
use crate::error::{check, Code, Error};
use crate::sink::{OpenParams, Sink, SinkShared};

#[derive(Clone, Copy)]
struct RawConnector(*mut sys::sr_sink_connector);
// SAFETY: the ABI allows a connector to be used from any thread; the one forbidden overlap
// (add_sink with open, and anything with free) is excluded by the RwLock around it.
unsafe impl Send for RawConnector {}
unsafe impl Sync for RawConnector {}

/// A libsr_sink connector. `Send + Sync`: share it between threads with `&` or `Arc`.
///
/// Closing it (or dropping it) first closes every sink opened from it that is still open — those
/// sinks then report `Code::State` — because the library frees a connector only after its sinks.
///
/// ```no_run
/// use sr_sink::{Connector, Credentials, OpenParams};
/// let connector = Connector::new()?;
/// connector.add_sink("shop.*", r#"{"http_url":"http://fe:8030","execution_mode":"on_watermark"}"#,
///     |_req| Ok(Credentials::new("root", "")))?;
/// let mut sink = connector.open(&OpenParams::new("shop.orders", &["id", "name"]))?;
/// sink.upsert(&[r#"{"id":1,"name":"a"}"#])?;
/// sink.on_watermark(1)?;
/// sink.close()?;
/// # Ok::<(), sr_sink::Error>(())
/// ```
pub struct Connector {
    /// `None` once closed. add_sink and close take it for writing, open for reading.
    raw: RwLock<Option<RawConnector>>,
    /// The sinks opened from this connector, so that close can close the ones still open.
    sinks: Mutex<Vec<Weak<SinkShared>>>,
    /// Borrowed by the library until sr_sink_connector_free returns.
    log: Option<Box<LogState>>,
}

impl Connector {
    /// A connector without logging.
    pub fn new() -> Result<Connector, Error> {
        Connector::create(None, LogLevel::Info)
    }

    /// A connector that delivers library log lines up to `level` to `log`. The callback may run
    /// on library threads, concurrently; it must not call back into the library. It is kept until
    /// the connector is closed and never called after `close` returns.
    pub fn with_logger<F>(level: LogLevel, log: F) -> Result<Connector, Error>
    where
        F: Fn(LogLevel, &str) + Send + Sync + 'static,
    {
        Connector::create(Some(Box::new(LogState { callback: Box::new(log) })), level)
    }

    fn create(log: Option<Box<LogState>>, level: LogLevel) -> Result<Connector, Error> {
        crate::abi::check_abi()?;
        let host = sys::sr_sink_host {
            struct_size: std::mem::size_of::<sys::sr_sink_host>() as u32,
            log_level: level.to_raw(),
            log: if log.is_some() { Some(log_trampoline) } else { None },
            log_user_data: log
                .as_ref()
                .map(|b| &**b as *const LogState as *mut c_void)
                .unwrap_or(std::ptr::null_mut()),
        };
        let mut raw = std::ptr::null_mut();
        // SAFETY: host and out are valid for the call; log_user_data (a Box, so its address is
        // stable when the Connector moves) is kept until after sr_sink_connector_free.
        check(|err| unsafe { sys::sr_sink_connector_new(&host, &mut raw, err) })?;
        Ok(Connector { raw: RwLock::new(Some(RawConnector(raw))), sinks: Mutex::new(Vec::new()), log })
    }

    /// Registers a sink: tables whose "db.table" matches `glob` (first registered match wins)
    /// are written with `options_json` (see the README for the keys), authenticating with the
    /// user and password `credentials` returns. `credentials` is called before every request
    /// (so secrets can rotate), possibly on library threads; the library keeps it until the
    /// connector is closed. Returning `Err` or panicking fails that request with `Code::Auth`.
    pub fn add_sink<F>(&self, glob: &str, options_json: &str, credentials: F) -> Result<(), Error>
    where
        F: Fn(&CredentialsRequest<'_>) -> Result<Credentials, CredentialsError> + Send + Sync + 'static,
    {
        let glob = c_string("glob", glob)?;
        let options = c_string("options_json", options_json)?;
        let guard = self.raw.write().unwrap_or_else(|p| p.into_inner());
        let raw = guard.ok_or_else(closed)?;
        let state = Box::into_raw(Box::new(CredentialsState { callback: Box::new(credentials) }));
        let creds = sys::sr_sink_credentials {
            struct_size: std::mem::size_of::<sys::sr_sink_credentials>() as u32,
            reserved0: 0,
            get: Some(credentials_trampoline),
            user_data: state as *mut c_void,
            release: Some(release_credentials),
        };
        // SAFETY: arguments valid for the call. From here the library owns `state`: it calls
        // release_credentials when the connector is freed, or before returning an error.
        check(|err| unsafe {
            sys::sr_sink_connector_add_sink(raw.0, glob.as_ptr(), options.as_ptr(), &creds, err)
        })
    }

    /// Registers a sink as `add_sink` does, plus a rejected-rows callback
    /// (`sr_sink_connector_register`, ABI 1.1): `rejected_rows` receives every row StarRocks
    /// rejected (filtered under `max_filter_ratio`, or of a load that failed with "too many
    /// filtered rows") before the call that completes the load returns — e.g. to route it to a
    /// dead-letter queue. It may run on library threads, concurrently for different sinks, and
    /// must not call back into the library. Returning `Err` (or panicking) fails the load's
    /// outcome with `Code::Data`: the host replays from its last checkpoint and the row is
    /// reported again, so no rejected row is lost. The library keeps both closures until the
    /// connector is closed (it calls the ABI's `release`). With a libsr_sink older than 1.1:
    /// `Code::NotSupported`, nothing registered.
    pub fn register<F, R>(&self, glob: &str, options_json: &str, credentials: F, rejected_rows: R) -> Result<(), Error>
    where
        F: Fn(&CredentialsRequest<'_>) -> Result<Credentials, CredentialsError> + Send + Sync + 'static,
        R: Fn(&RejectedRow<'_>) -> Result<(), RejectedRowError> + Send + Sync + 'static,
    {
        let register = crate::abi::connector_register()?;
        let glob = c_string("glob", glob)?;
        let options = c_string("options_json", options_json)?;
        let guard = self.raw.write().unwrap_or_else(|p| p.into_inner());
        let raw = guard.ok_or_else(closed)?;
        let creds_state = Box::into_raw(Box::new(CredentialsState { callback: Box::new(credentials) }));
        let rows_state = Box::into_raw(Box::new(RejectedRowsState { callback: Box::new(rejected_rows) }));
        let creds = sys::sr_sink_credentials {
            struct_size: std::mem::size_of::<sys::sr_sink_credentials>() as u32,
            reserved0: 0,
            get: Some(credentials_trampoline),
            user_data: creds_state as *mut c_void,
            release: Some(release_credentials),
        };
        let consumer = sys::sr_sink_rejected_rows {
            struct_size: std::mem::size_of::<sys::sr_sink_rejected_rows>() as u32,
            reserved0: 0,
            on_row: Some(rejected_row_trampoline),
            user_data: rows_state as *mut c_void,
            release: Some(release_rejected_rows),
        };
        let reg = sys::sr_sink_registration {
            struct_size: std::mem::size_of::<sys::sr_sink_registration>() as u32,
            reserved0: 0,
            glob: glob.as_ptr(),
            options_json: options.as_ptr(),
            credentials: &creds,
            rejected_rows: &consumer,
        };
        // SAFETY: everything reg points to lives for the call. From here the library owns both
        // states: it calls their release when the connector is freed, or before returning an
        // error.
        check(|err| unsafe { register(raw.0, &reg, err) })
    }

    /// Commits every transaction a commit token names, with no sink open
    /// (`sr_sink_commit_token`, ABI 1.1): for a committer that runs apart from the writer (e.g.
    /// after the writer process died). The same as `Sink::commit` of the token's checkpoint on
    /// the sink that made it: idempotent; uses the registration matching the token's table.
    /// `Code::Recovery` when the token is malformed or its data is no longer committable (the
    /// message names the checkpoint), `Code::NoRoute` when no registration matches, and
    /// `Code::NotSupported` with a libsr_sink older than 1.1. May run concurrently with sinks
    /// and other `commit_token` calls.
    pub fn commit_token(&self, token: impl AsRef<[u8]>) -> Result<(), Error> {
        let commit = crate::abi::commit_token()?;
        let token = token.as_ref();
        let guard = self.raw.read().unwrap_or_else(|p| p.into_inner());
        let raw = guard.ok_or_else(closed)?;
        // SAFETY: the token is borrowed for the call; the read lock keeps add_sink/register and
        // free out.
        check(|err| unsafe { commit(raw.0, token.as_ptr(), token.len(), err) })
    }

    /// Opens a sink for one table ("db.table"). Checks the table (Primary Key, columns) and, in
    /// on_checkpoint mode with a restore token, recovers.
    pub fn open(&self, params: &OpenParams<'_>) -> Result<Sink, Error> {
        let guard = self.raw.read().unwrap_or_else(|p| p.into_inner());
        let raw = guard.ok_or_else(closed)?;
        let sink = Sink::open(raw.0, params)?;
        let mut sinks = self.sinks.lock().unwrap_or_else(|p| p.into_inner());
        sinks.retain(|w| w.strong_count() > 0);
        sinks.push(sink.shared_weak());
        Ok(sink)
    }

    /// Closes every sink still open from this connector, then frees the connector: no callback
    /// runs after this returns. Waits for calls running on those sinks in other threads (cancel
    /// them first if they may block). Idempotent.
    pub fn close(&mut self) {
        self.close_inner();
    }

    fn close_inner(&self) {
        let mut guard = self.raw.write().unwrap_or_else(|p| p.into_inner());
        let raw = match guard.take() {
            Some(raw) => raw,
            None => return,
        };
        let sinks = std::mem::take(&mut *self.sinks.lock().unwrap_or_else(|p| p.into_inner()));
        for shared in sinks.iter().filter_map(Weak::upgrade) {
            let _ = shared.close();
        }
        // SAFETY: every sink of the connector is closed and `guard` excludes other calls.
        unsafe { sys::sr_sink_connector_free(raw.0) };
    }
}

impl Drop for Connector {
    fn drop(&mut self) {
        self.close_inner();
        // `log` drops after this, i.e. after sr_sink_connector_free returned.
        let _ = &self.log;
    }
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = self.raw.read().map(|g| g.is_some()).unwrap_or(false);
        f.debug_struct("Connector").field("open", &open).finish()
    }
}

fn closed() -> Error {
    Error::new(Code::State, "the connector is closed")
}

pub(crate) fn c_string(what: &str, s: &str) -> Result<CString, Error> {
    CString::new(s).map_err(|_| Error::new(Code::InvalidArgument, format!("{} contains a NUL byte", what)))
}
