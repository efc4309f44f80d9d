package io.github.srsink.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.srsink.Batch;
import io.github.srsink.Connector;
import io.github.srsink.Op;
import io.github.srsink.Sink;
import io.github.srsink.SinkException;
import io.github.srsink.flink.internal.JsonBuffer;
import io.github.srsink.flink.internal.LiveSinks;
import io.github.srsink.flink.internal.SinkMetrics;

/**
 * One subtask's writer. Elements become JSON rows in a {@link Batch}; a full batch (or a flush)
 * goes to the library in one call. What happens at a checkpoint depends on {@code sink.semantic}
 * (README, "How it works"):
 * <ul>
 *   <li>exactly-once: {@link #prepareCommit} (before the barrier) prepares the epoch's StarRocks
 *       transaction ({@code on_checkpoint}) and returns its commit token as the committable;
 *       {@link #snapshotState} stores the token, the instance id and the connector checkpoint id.</li>
 *   <li>at-least-once: {@link #flush} (before the barrier) loads what was written
 *       ({@code on_watermark}), and so does a processing-time timer every
 *       {@code sink.buffer-flush.interval-ms}.</li>
 * </ul>
 * All calls come from the task's mailbox thread (timers included).
 */
final class StarRocksWriter<IN> implements StatefulSinkWriter<IN, StarRocksWriterState>,
    CommittingSinkWriter<IN, StarRocksCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(StarRocksWriter.class);
  /** A batch goes to the library at this many rows or bytes (one native call per batch). */
  static final int BATCH_ROWS = 2048;
  static final int BATCH_BYTES = 1 << 20;

  private final StarRocksSinkOptions options;
  private final RecordSerializer<IN> serializer;
  private final boolean exactlyOnce;
  private final String instanceId;
  private final Connector connector;
  private final Sink sink;
  private final Batch batch = new Batch(BATCH_BYTES + (64 << 10), BATCH_ROWS);
  private final JsonBuffer row = new JsonBuffer(1024);
  private final SinkMetrics metrics;
  private final ProcessingTimeService timers;
  /** The connector checkpoint id of the last prepareCommit (README, "Checkpoint ids"). */
  private long checkpointId;
  private byte[] lastToken;
  private long watermarks;
  private boolean closed;

  StarRocksWriter(StarRocksSinkBase<IN> def, WriterInitContext context, Collection<StarRocksWriterState> restored)
      throws IOException {
    this.options = def.options();
    this.serializer = def.serializer();
    this.exactlyOnce = options.semantic() == Semantic.EXACTLY_ONCE;
    this.metrics = new SinkMetrics(context.metricGroup());
    this.timers = context.getProcessingTimeService();
    int subtask = context.getTaskInfo().getIndexOfThisSubtask();
    serializer.open();
    KeyCheck.verify(options, def.primaryKey());

    List<StarRocksWriterState> states = new ArrayList<>(restored);
    StarRocksWriterState own;
    if (!exactlyOnce || states.isEmpty()) {
      // A fresh instance: the job id keeps it apart from every earlier job's labels; it is stable
      // across failovers of this job (which restore a checkpoint without it only if none with it
      // completed, and then recovery rolls back what it began).
      own = new StarRocksWriterState(def.sinkUid() + "/" + context.getJobInfo().getJobId() + "/" + subtask, 0, null);
    } else {
      own = states.remove(0);
    }
    this.instanceId = own.instanceId();
    this.checkpointId = own.checkpointId();
    this.lastToken = own.token();
    this.connector = Connectors.open(options, exactlyOnce);
    try {
      if (exactlyOnce) {
        // States of instances that no longer run (parallelism went down): recover each (commit its
        // token, roll back what it began later) and retire it.
        for (StarRocksWriterState orphan : states) {
          LOG.info("StarRocks sink {}: recovering instance {} (restored state without a writer after a parallelism change)",
              options.qualifiedTable(), orphan.instanceId());
          connector.open(options.qualifiedTable(), def.columns(), orphan.instanceId(), orphan.token()).close();
        }
        LOG.info("StarRocks sink {}: subtask {} opens instance {} at connector checkpoint {}{}", options.qualifiedTable(),
            subtask, instanceId, checkpointId, lastToken == null ? " (fresh)" : " (restoring its token)");
        this.sink = connector.open(options.qualifiedTable(), def.columns(), instanceId, lastToken);
        LiveSinks.put(instanceId, sink);
      } else {
        this.sink = connector.open(options.qualifiedTable(), def.columns());
        scheduleFlush();
      }
    } catch (SinkException e) {
      connector.close();
      throw new IOException("StarRocks sink " + options.qualifiedTable() + " cannot open: " + e.getMessage(), e);
    }
    metrics.update(sink.stats());
  }

  @Override
  public void write(IN element, Context context) throws IOException {
    Op op;
    try {
      op = serializer.serialize(element, row);
    } catch (RuntimeException e) {
      row.reset();
      throw new IOException("StarRocks sink " + options.qualifiedTable() + ": cannot convert a record: " + e.getMessage(), e);
    }
    if (op == null) {
      row.reset();
      return;
    }
    batch.add(op, row.array(), 0, row.length()); // copied into the batch's direct buffer
    row.reset();
    if (batch.size() >= BATCH_ROWS || batch.bytes() >= BATCH_BYTES) writeBatch();
  }

  private void writeBatch() throws IOException {
    if (batch.size() == 0) return;
    try {
      sink.write(batch);
    } catch (SinkException e) {
      throw failure("write", e);
    }
    batch.clear();
    metrics.update(sink.stats());
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    writeBatch();
    if (!exactlyOnce) load();
  }

  /** at-least-once: loads everything written so far; returns once StarRocks has it visible. */
  private void load() throws IOException {
    long start = System.nanoTime();
    try {
      sink.onWatermark(++watermarks);
    } catch (SinkException e) {
      throw failure("flush", e);
    } finally {
      metrics.addFlushTime(System.nanoTime() - start);
    }
    metrics.update(sink.stats());
  }

  private void scheduleFlush() {
    long at = timers.getCurrentProcessingTime() + options.flushIntervalMs();
    timers.registerTimer(at, time -> {
      if (closed) return;
      writeBatch();
      load();
      scheduleFlush();
    });
  }

  @Override
  public Collection<StarRocksCommittable> prepareCommit() throws IOException {
    if (!exactlyOnce) return Collections.emptyList();
    writeBatch();
    long id = ++checkpointId;
    long start = System.nanoTime();
    byte[] token;
    try {
      token = sink.onCheckpoint(id);
    } catch (SinkException e) {
      throw failure("prepare checkpoint " + id, e);
    } finally {
      metrics.addFlushTime(System.nanoTime() - start);
    }
    lastToken = token;
    metrics.update(sink.stats());
    // A token of an epoch without rows names no transaction; committing it costs nothing.
    return Collections.singletonList(new StarRocksCommittable(instanceId, id, token));
  }

  @Override
  public List<StarRocksWriterState> snapshotState(long flinkCheckpointId) {
    if (!exactlyOnce) return Collections.emptyList();
    return Collections.singletonList(new StarRocksWriterState(instanceId, checkpointId, lastToken));
  }

  private IOException failure(String what, SinkException e) {
    return new IOException("StarRocks sink " + options.qualifiedTable() + " (instance " + instanceId + ") failed to "
        + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() throws Exception {
    if (closed) return;
    closed = true;
    // Rows not yet in a prepared transaction (or not yet loaded) are not loaded here: Flink
    // replays them from the last checkpoint. Prepared transactions stay for the committer or
    // for recovery.
    if (exactlyOnce) LiveSinks.remove(instanceId, sink);
    try {
      sink.close();
    } finally {
      connector.close();
    }
  }
}
