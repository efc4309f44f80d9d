package io.github.srsink;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One write relation ({@code sr_sink}): rows in, loads and transactions out.
 *
 * <p><b>Threads.</b> The ABI takes one call at a time per sink; the binding serializes them (a
 * second thread waits), so a sink may be handed between threads. {@link #cancel()} and
 * {@link #stats()} run concurrently with a call in progress; {@code cancel} makes it fail with
 * {@link SinkException.Cancelled} and leaves the sink failed (only close is useful). A callback
 * that calls back into the library gets {@link SinkException.State} instead of a deadlock.
 *
 * <p><b>Close.</b> Rows written since the last watermark (on_watermark) or checkpoint
 * (on_checkpoint) are NOT loaded by close: the open load is abandoned, a WARN line gives the count,
 * and the host replays them from its last checkpoint. Prepared transactions are left for recovery.
 * Closing twice is harmless; any other call on a closed sink is {@link SinkException.State}.
 */
public final class Sink implements AutoCloseable {
  private final Connector connector;
  private final String table;
  private final long lib;
  private final ReentrantLock calls = new ReentrantLock();
  private final ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock();
  private volatile long handle; // 0 once closed; written under calls + lifetime's write lock

  Sink(Connector connector, String table, long handle) {
    this.connector = connector;
    this.table = table;
    this.lib = connector.library().handle;
    this.handle = handle;
  }

  /** "db.table". */
  public String table() {
    return table;
  }

  /** Writes a batch ({@code sr_sink_write}); the library copies it before returning. */
  public void write(Batch batch) {
    if (batch == null) throw SinkException.of(Status.INVALID_ARGUMENT, "batch is null");
    serialized("write", h -> {
      batch.writeTo(lib, h);
      return null;
    });
  }

  /** Writes upserts: each row a Map, or encoded JSON as String or byte[]. */
  public void write(List<?> rows) {
    write(rows, null);
  }

  /**
   * Writes rows with their ops (null: all upserts).
   *
   * @throws SinkException.InvalidArgument when ops and rows differ in length (nothing is written)
   * @throws SinkException.Data naming the index of a row that is not one JSON object (nothing taken)
   */
  public void write(List<?> rows, List<Op> ops) {
    if (rows == null) throw SinkException.of(Status.INVALID_ARGUMENT, "rows is null");
    if (ops != null && ops.size() != rows.size()) {
      throw SinkException.of(Status.INVALID_ARGUMENT, rows.size() + " rows but " + ops.size() + " ops");
    }
    writeRows(rows, ops, null);
  }

  /** Writes the rows as upserts. */
  public void upsert(Object... rows) {
    writeRows(Arrays.asList(rows), null, Op.UPSERT);
  }

  /** Writes the rows (key columns only are needed) as deletes. */
  public void delete(Object... rows) {
    writeRows(Arrays.asList(rows), null, Op.DELETE);
  }

  // The list forms reuse one batch per sink (direct memory is costly to allocate and is only
  // returned by the GC); one that grew past SCRATCH_KEEP is dropped after the call.
  private static final int SCRATCH_KEEP = 4 << 20;
  private Batch scratch; // guarded by calls

  private void writeRows(List<?> rows, List<Op> ops, Op all) {
    serialized("write", h -> {
      Batch b = scratch != null ? scratch.clear() : new Batch();
      try {
        for (int i = 0; i < rows.size(); i++) b.add(all != null ? all : ops == null ? Op.UPSERT : ops.get(i), rows.get(i));
        b.writeTo(lib, h);
      } finally {
        scratch = b.capacity() <= SCRATCH_KEEP ? b.clear() : null;
      }
      return null;
    });
  }

  /**
   * on_watermark mode: loads what was written and returns once StarRocks reports it visible.
   * on_checkpoint mode: a no-op.
   */
  public void onWatermark(long watermark) {
    serialized("on_watermark", h -> {
      NativeBridge.onWatermark(lib, h, watermark);
      return null;
    });
  }

  /**
   * The host takes checkpoint checkpointId (strictly increasing per sink). on_checkpoint mode:
   * prepares the epoch's transaction. Returns the commit token: store it with the checkpoint, then
   * call {@link #commit} once the checkpoint is durable (or hand it to
   * {@link Connector#commitToken}). The bytes are the host's; the library's copy is released.
   */
  public byte[] onCheckpoint(long checkpointId) {
    return serialized("on_checkpoint", h -> NativeBridge.onCheckpoint(lib, h, checkpointId));
  }

  /** Checkpoint checkpointId is durable: commit every transaction prepared up to it. Idempotent. */
  public void commit(long checkpointId) {
    serialized("commit", h -> {
      NativeBridge.commit(lib, h, checkpointId);
      return null;
    });
  }

  /**
   * Checkpoint checkpointId failed: roll back what was prepared for it. The sink is failed
   * afterwards (ABI 1.1): every later call is {@link SinkException.State}. Close it and reopen it
   * with the token of the last durable checkpoint, then replay from there.
   */
  public void abort(long checkpointId) {
    serialized("abort", h -> {
      NativeBridge.abort(lib, h, checkpointId);
      return null;
    });
  }

  /** Interrupts the call in progress (any thread); the sink is then failed. No-op once closed. */
  public void cancel() {
    InCallback.check("cancel");
    lifetime.readLock().lock();
    try {
      long h = handle;
      if (h != 0) NativeBridge.cancel(lib, h);
    } finally {
      lifetime.readLock().unlock();
    }
  }

  /** The sink's counters; may run concurrently with a call in progress. */
  public SinkStats stats() {
    InCallback.check("stats");
    lifetime.readLock().lock();
    try {
      long h = handle;
      if (h == 0) throw closed("stats");
      long[] v = new long[SinkStats.FIELDS];
      NativeBridge.stats(lib, h, v);
      return new SinkStats(v);
    } finally {
      lifetime.readLock().unlock();
    }
  }

  public boolean isClosed() {
    return handle == 0;
  }

  /**
   * Closes and frees the sink, waiting for a call in progress. Unloaded rows are not loaded (see
   * the class comment). Throws the error of the rollback, if any; the sink is closed either way.
   */
  @Override
  public void close() {
    InCallback.check("close");
    if (calls.isHeldByCurrentThread()) throw reentered("close");
    calls.lock();
    try {
      long h;
      lifetime.writeLock().lock();
      try {
        h = handle;
        handle = 0;
      } finally {
        lifetime.writeLock().unlock();
      }
      if (h == 0) return;
      connector.forget(this);
      NativeBridge.close(lib, h);
    } finally {
      calls.unlock();
    }
  }

  interface Call<T> {
    T run(long handle);
  }

  private <T> T serialized(String what, Call<T> call) {
    InCallback.check(what);
    if (calls.isHeldByCurrentThread()) throw reentered(what);
    calls.lock();
    try {
      long h = handle;
      if (h == 0) throw closed(what);
      return call.run(h);
    } finally {
      calls.unlock();
    }
  }

  private SinkException closed(String what) {
    return SinkException.of(Status.STATE, "cannot " + what + ": the sink of " + table + " is closed");
  }

  private SinkException reentered(String what) {
    return SinkException.of(Status.STATE, "cannot " + what + " on the sink of " + table
        + " from inside one of its own calls (a callback must not call back into the library)");
  }
}
