//! One sink: the writer of one table for one write relation.
use std::cell::Cell;
use std::ffi::CString;
use std::marker::PhantomData;
use std::os::raw::c_char;
use std::sync::{Arc, Mutex};

use sr_sink_sys as sys;

use crate::batch::{Batch, Op, Row};
use crate::connector::c_string;
use crate::error::{check, Code, Error};
use crate::token::Token;

/// What `Connector::open` needs.
#[derive(Clone, Debug)]
pub struct OpenParams<'a> {
    table: &'a str,
    columns: Vec<&'a str>,
    instance_id: Option<&'a str>,
    restore_token: Option<&'a [u8]>,
}

impl<'a> OpenParams<'a> {
    /// `table` is "db.table"; `columns` are the columns the host will write (every key column
    /// must be among them).
    pub fn new(table: &'a str, columns: &[&'a str]) -> OpenParams<'a> {
        OpenParams { table, columns: columns.to_vec(), instance_id: None, restore_token: None }
    }
    /// A stable name of this writer across restarts ("job1/op3/subtask0"); required in
    /// on_checkpoint mode.
    pub fn instance_id(mut self, id: &'a str) -> OpenParams<'a> {
        self.instance_id = Some(id);
        self
    }
    /// on_checkpoint: the token of the host's last durable checkpoint; `open` commits what it
    /// names and rolls back later transactions.
    pub fn restore_token(mut self, token: &'a [u8]) -> OpenParams<'a> {
        self.restore_token = Some(token);
        self
    }
}

#[derive(Clone, Copy)]
struct RawSink(*mut sys::sr_sink);
// SAFETY: a sink may be used from any thread as long as calls are serialized (the `state` mutex)
// and cancel never overlaps close (the `cancel` mutex).
unsafe impl Send for RawSink {}

/// The state a sink shares with its connector (which closes it on connector close) and its
/// cancel handles.
pub(crate) struct SinkShared {
    /// Held for the whole of every call, so that a connector closing on another thread never
    /// frees the sink under a running call. `None` once closed.
    state: Mutex<Option<RawSink>>,
    /// The pointer sr_sink_cancel may use; cleared (waiting for a running cancel) before close.
    cancel: Mutex<Option<RawSink>>,
}

impl SinkShared {
    /// Closes the sink if it is open. Returns Ok when it was already closed.
    pub(crate) fn close(&self) -> Result<(), Error> {
        let mut state = lock(&self.state);
        let raw = match state.take() {
            Some(raw) => raw,
            None => return Ok(()),
        };
        *lock(&self.cancel) = None;
        // SAFETY: the handle is live and, after this call, never used again.
        check(|err| unsafe { sys::sr_sink_close(raw.0, err) })
    }

    /// Runs `f` with the live handle while holding the call lock.
    fn with<T>(&self, f: impl FnOnce(*mut sys::sr_sink) -> Result<T, Error>) -> Result<T, Error> {
        let state = lock(&self.state);
        match *state {
            Some(raw) => f(raw.0),
            None => Err(Error::new(Code::State, "the sink is closed")),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A sink: the writer of one table. `Send` (it may move between threads) but not `Sync`: the
/// ABI requires the calls on one sink to be serialized, which `&mut self` enforces. Use
/// `cancel_handle()` to interrupt it from another thread. Dropping the sink closes it.
pub struct Sink {
    shared: Arc<SinkShared>,
    _not_sync: PhantomData<Cell<()>>,
}

impl Sink {
    pub(crate) fn open(
        connector: *mut sys::sr_sink_connector,
        params: &OpenParams<'_>,
    ) -> Result<Sink, Error> {
        let table = c_string("table", params.table)?;
        let columns: Vec<CString> =
            params.columns.iter().map(|c| c_string("column name", c)).collect::<Result<_, _>>()?;
        let column_ptrs: Vec<*const c_char> = columns.iter().map(|c| c.as_ptr()).collect();
        let instance = params.instance_id.map(|id| c_string("instance_id", id)).transpose()?;
        let n_columns = u32::try_from(column_ptrs.len())
            .map_err(|_| Error::new(Code::InvalidArgument, "too many columns"))?;
        let raw_params = sys::sr_sink_open_params {
            struct_size: std::mem::size_of::<sys::sr_sink_open_params>() as u32,
            n_columns,
            table: table.as_ptr(),
            columns: column_ptrs.as_ptr(),
            instance_id: instance.as_ref().map(|s| s.as_ptr()).unwrap_or(std::ptr::null()),
            restore_token: params.restore_token.map(|t| t.as_ptr()).unwrap_or(std::ptr::null()),
            restore_token_len: params.restore_token.map(|t| t.len()).unwrap_or(0),
            n_key_columns: 0,
            reserved0: 0,
            key_columns: std::ptr::null(),
        };
        let mut raw = std::ptr::null_mut();
        // SAFETY: every pointer in raw_params lives until the call returns; the library copies.
        check(|err| unsafe { sys::sr_sink_open(connector, &raw_params, &mut raw, err) })?;
        Ok(Sink {
            shared: Arc::new(SinkShared {
                state: Mutex::new(Some(RawSink(raw))),
                cancel: Mutex::new(Some(RawSink(raw))),
            }),
            _not_sync: PhantomData,
        })
    }

    pub(crate) fn shared_weak(&self) -> std::sync::Weak<SinkShared> {
        Arc::downgrade(&self.shared)
    }

    /// Writes a batch of rows. Validates every row first (a malformed row fails the call with
    /// `Code::Data` naming its index, and nothing of the batch is taken), then copies them.
    pub fn write(&mut self, batch: &Batch) -> Result<(), Error> {
        let slices = batch.slices();
        let c_batch = sys::sr_sink_batch {
            struct_size: std::mem::size_of::<sys::sr_sink_batch>() as u32,
            reserved0: 0,
            n_rows: slices.len(),
            rows: slices.as_ptr(),
            ops: batch.ops().as_ptr(),
        };
        // SAFETY: the batch borrows `batch` and `slices`, both alive for the call.
        self.shared.with(|raw| check(|err| unsafe { sys::sr_sink_write(raw, &c_batch, err) }))
    }

    /// Writes one Arrow record batch given as Arrow C Data Interface structs
    /// (`sr_sink_write_arrow`, ABI 1.2): `schema` describes a struct (`+s`) whose fields are
    /// named like the sink's columns; `ops` (one per row) or a field `__op` give deletes. For
    /// arrow-rs's `RecordBatch`, enable the `arrow` feature and use `Sink::write_arrow`.
    ///
    /// Ownership (Arrow's move semantics): this call takes `*schema` and `*array` whatever it
    /// returns; both are released (and their `release` set to NULL) before it returns, also on
    /// the binding's own errors (closed sink, `ops` of the wrong length, an older library).
    ///
    /// # Safety
    /// `schema` and `array` must point to valid, initialized Arrow C Data Interface structs (or
    /// structs whose `release` is NULL) that nobody else releases.
    pub unsafe fn write_arrow_raw(
        &mut self,
        schema: *mut sys::ArrowSchema,
        array: *mut sys::ArrowArray,
        ops: Option<&[Op]>,
    ) -> Result<(), Error> {
        let result = (|| {
            let write_arrow = crate::abi::write_arrow()?;
            if schema.is_null() || array.is_null() {
                return Err(Error::new(Code::InvalidArgument, "write_arrow_raw: schema or array is NULL"));
            }
            let raw_ops: Option<Vec<u8>> = ops.map(|o| o.iter().map(|op| op.to_raw()).collect());
            if let Some(o) = &raw_ops {
                let rows = (*array).length;
                if o.len() as i64 != rows {
                    return Err(Error::new(
                        Code::InvalidArgument,
                        format!("ops has {} entries for {} rows", o.len(), rows),
                    ));
                }
            }
            let ops_ptr = raw_ops.as_ref().map_or(std::ptr::null(), |o| o.as_ptr());
            // SAFETY: the library takes both structs (the caller vouches for them); ops has
            // array.length entries and outlives the call.
            self.shared.with(|raw| check(|err| write_arrow(raw, schema, array, ops_ptr, err)))
        })();
        // Whatever did not reach the library is released here (a no-op for what it took).
        release_arrow(schema, array);
        result
    }

    /// Writes `rows[i]` with `ops[i]`. The two slices must have the same length
    /// (`Code::InvalidArgument` otherwise, before anything is written).
    pub fn write_rows<R: Row>(&mut self, rows: &[R], ops: &[Op]) -> Result<(), Error> {
        if rows.len() != ops.len() {
            return Err(Error::new(
                Code::InvalidArgument,
                format!("{} rows but {} ops: give one op per row", rows.len(), ops.len()),
            ));
        }
        let mut batch = Batch::new();
        for (row, op) in rows.iter().zip(ops) {
            batch.push(*op, row);
        }
        self.write(&batch)
    }

    /// Writes rows that are all upserts.
    pub fn upsert<R: Row>(&mut self, rows: &[R]) -> Result<(), Error> {
        let mut batch = Batch::new();
        for r in rows {
            batch.upsert(r);
        }
        self.write(&batch)
    }

    /// Writes rows that are all deletes (each needs only the key columns).
    pub fn delete<R: Row>(&mut self, rows: &[R]) -> Result<(), Error> {
        let mut batch = Batch::new();
        for r in rows {
            batch.delete(r);
        }
        self.write(&batch)
    }

    /// on_watermark mode: returns once the data written so far is visible in StarRocks.
    /// on_checkpoint mode: does nothing.
    pub fn on_watermark(&mut self, watermark: i64) -> Result<(), Error> {
        // SAFETY: live handle, calls serialized by the state lock.
        self.shared.with(|raw| check(|err| unsafe { sys::sr_sink_on_watermark(raw, watermark, err) }))
    }

    /// The host takes checkpoint `checkpoint_id` (strictly increasing). on_checkpoint mode:
    /// prepares the epoch's transactions and returns the token to store with the checkpoint
    /// before calling `commit`. on_watermark mode: flushes like a watermark.
    pub fn on_checkpoint(&mut self, checkpoint_id: i64) -> Result<Token, Error> {
        self.shared.with(|raw| {
            let mut token = sys::sr_sink_token {
                struct_size: std::mem::size_of::<sys::sr_sink_token>() as u32,
                reserved0: 0,
                data: std::ptr::null(),
                len: 0,
                release: None,
                private_data: std::ptr::null_mut(),
            };
            // SAFETY: live handle; `token` is writable. On success it is ours to release, which
            // Token::take does exactly once; on error its release is NULL.
            check(|err| unsafe { sys::sr_sink_on_checkpoint(raw, checkpoint_id, &mut token, err) })?;
            Ok(unsafe { Token::take(&mut token) })
        })
    }

    /// The host's checkpoint `checkpoint_id` is durable: commits every transaction prepared for
    /// checkpoints up to it. Idempotent.
    pub fn commit(&mut self, checkpoint_id: i64) -> Result<(), Error> {
        // SAFETY: live handle, calls serialized by the state lock.
        self.shared.with(|raw| check(|err| unsafe { sys::sr_sink_commit(raw, checkpoint_id, err) }))
    }

    /// The host's checkpoint `checkpoint_id` failed: rolls back what was prepared for it.
    ///
    /// The rows of that epoch are then in no transaction, so the sink cannot go on: after abort
    /// (`Ok` or not) the sink is failed, and every later `write`, `on_watermark`,
    /// `on_checkpoint` and `commit` returns `Code::State` saying that the checkpoint was
    /// aborted. Close the sink and reopen it with the token of the last durable checkpoint
    /// (`OpenParams::restore_token`), then replay from there — in both modes (ABI 1.1 contract).
    pub fn abort(&mut self, checkpoint_id: i64) -> Result<(), Error> {
        // SAFETY: live handle, calls serialized by the state lock.
        self.shared.with(|raw| check(|err| unsafe { sys::sr_sink_abort(raw, checkpoint_id, err) }))
    }

    /// The sink's counters.
    pub fn stats(&self) -> Result<Stats, Error> {
        self.shared.with(|raw| {
            let mut out = sys::sr_sink_stats {
                struct_size: std::mem::size_of::<sys::sr_sink_stats>() as u32,
                ..Default::default()
            };
            // SAFETY: live handle; `out` is writable.
            check(|err| unsafe { sys::sr_sink_get_stats(raw, &mut out, err) })?;
            Ok(Stats::from(out))
        })
    }

    /// A handle that can interrupt this sink from another thread.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle { shared: Arc::clone(&self.shared) }
    }

    /// Whether the sink is still open (it is closed by `close`, or by closing its connector).
    pub fn is_open(&self) -> bool {
        lock(&self.shared.state).is_some()
    }

    /// Closes the sink. Rows written since the last `on_watermark` (on_watermark mode) or
    /// `on_checkpoint` (on_checkpoint mode) are NOT loaded: the open load is abandoned or its
    /// transaction rolled back, and a WARN log line gives the number of rows not loaded. The host
    /// replays them from its last checkpoint; to load them instead, call `on_watermark` /
    /// `on_checkpoint` (+ `commit`) first. Prepared transactions are left for recovery.
    /// Dropping the sink closes it the same way. Idempotent: a second call returns `Ok`.
    /// Joins the library's threads of this sink: no callback for it runs after this returns.
    pub fn close(&mut self) -> Result<(), Error> {
        self.shared.close()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.shared.close();
    }
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink").field("open", &self.is_open()).finish()
    }
}

/// Interrupts a sink from any thread: a blocked write, a load or a retry backoff returns
/// `Code::Cancelled` soon after, and the sink is failed (only close is useful). Does nothing
/// once the sink is closed.
#[derive(Clone)]
pub struct CancelHandle {
    shared: Arc<SinkShared>,
}

impl CancelHandle {
    pub fn cancel(&self) {
        let guard = lock(&self.shared.cancel);
        if let Some(raw) = *guard {
            // SAFETY: holding the lock keeps close from freeing the sink during this call.
            unsafe { sys::sr_sink_cancel(raw.0) };
        }
    }
}

/// Per-sink counters (see `sr_sink_stats` in the header).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
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
    /// Since ABI 1.1: rows StarRocks rejected, reported to the rejected-rows callback (0 with a
    /// 1.0 library).
    pub rows_rejected: u64,
    /// Since ABI 1.2: episodes of StarRocks pushing back ("too many versions", 429/503, ...)
    /// that the sink waited out (0 with an older library).
    pub throttle_episodes: u64,
    /// Since ABI 1.2: milliseconds spent backing off in those episodes.
    pub throttle_wait_ms: u64,
    /// Since ABI 1.2: requests moved to another FE of `http_url` after a failure.
    pub fe_failovers: u64,
}

impl From<sys::sr_sink_stats> for Stats {
    fn from(s: sys::sr_sink_stats) -> Stats {
        Stats {
            rows_written: s.rows_written,
            rows_deleted: s.rows_deleted,
            bytes_written: s.bytes_written,
            rows_loaded: s.rows_loaded,
            rows_filtered: s.rows_filtered,
            bytes_sent: s.bytes_sent,
            loads: s.loads,
            load_failures: s.load_failures,
            retries: s.retries,
            txns_begun: s.txns_begun,
            txns_prepared: s.txns_prepared,
            txns_committed: s.txns_committed,
            txns_aborted: s.txns_aborted,
            buffered_bytes: s.buffered_bytes,
            last_load_ms: s.last_load_ms,
            server_load_ms: s.server_load_ms,
            rows_rejected: s.rows_rejected,
            throttle_episodes: s.throttle_episodes,
            throttle_wait_ms: s.throttle_wait_ms,
            fe_failovers: s.fe_failovers,
        }
    }
}

/// Releases Arrow structs that are still live (release not NULL) and marks them released.
///
/// # Safety
/// Each pointer is NULL or points to a valid Arrow C Data Interface struct.
unsafe fn release_arrow(schema: *mut sys::ArrowSchema, array: *mut sys::ArrowArray) {
    if !schema.is_null() {
        if let Some(release) = (*schema).release {
            release(schema);
            (*schema).release = None;
        }
    }
    if !array.is_null() {
        if let Some(release) = (*array).release {
            release(array);
            (*array).release = None;
        }
    }
}
