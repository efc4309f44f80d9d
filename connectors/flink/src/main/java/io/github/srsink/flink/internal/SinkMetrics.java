package io.github.srsink.flink.internal;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import io.github.srsink.SinkStats;

/**
 * The library's counters in Flink's metric group: the standard sink metrics numRecordsSend and
 * numBytesSend (Flink registers them as the operator's numRecordsOut and numBytesOut too): rows and
 * JSON bytes taken by the library; and the
 * official StarRocks connector's gauges (totalFlushBytes/Rows/TimeNs/SucceededTimes/FailedTimes,
 * totalFilteredRows). Updated from the writer's thread after each call into the library.
 */
public final class SinkMetrics {
  private final Counter recordsSend;
  private final Counter bytesSend;
  private volatile SinkStats last;
  private volatile long flushTimeNs;
  private long countedRows;
  private long countedBytes;

  public SinkMetrics(SinkWriterMetricGroup group) {
    recordsSend = group.getNumRecordsSendCounter();
    bytesSend = group.getNumBytesSendCounter();
    MetricGroup g = group;
    g.gauge("totalFlushBytes", (Gauge<Long>) () -> last == null ? 0L : last.bytesSent);
    g.gauge("totalFlushRows", (Gauge<Long>) () -> last == null ? 0L : last.rowsLoaded);
    g.gauge("totalFlushTimeNs", (Gauge<Long>) () -> flushTimeNs);
    g.gauge("totalFlushSucceededTimes", (Gauge<Long>) () -> last == null ? 0L : last.loads);
    g.gauge("totalFlushFailedTimes", (Gauge<Long>) () -> last == null ? 0L : last.loadFailures);
    g.gauge("totalFilteredRows", (Gauge<Long>) () -> last == null ? 0L : last.rowsFiltered);
  }

  /** The sink's counters after a call; counters grow by what is new since the last update. */
  public void update(SinkStats s) {
    last = s;
    long rows = s.rowsWritten - countedRows;
    long bytes = s.bytesWritten - countedBytes;
    if (rows > 0) {
      recordsSend.inc(rows);
      countedRows = s.rowsWritten;
    }
    if (bytes > 0) {
      bytesSend.inc(bytes);
      countedBytes = s.bytesWritten;
    }
  }

  /** A new sink (after a reopen) counts from zero again. */
  public void resetBaseline() {
    countedRows = 0;
    countedBytes = 0;
  }

  public void addFlushTime(long nanos) {
    flushTimeNs += nanos;
  }

  public SinkStats last() {
    return last;
  }
}
