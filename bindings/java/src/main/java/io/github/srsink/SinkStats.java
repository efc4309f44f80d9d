package io.github.srsink;

/** A sink's counters ({@code sr_sink_stats}): monotonic unless noted. */
public final class SinkStats {
  /** Rows accepted by write. */
  public final long rowsWritten;
  /** Of which deletes. */
  public final long rowsDeleted;
  /** Encoded body bytes produced (uncompressed). */
  public final long bytesWritten;
  /** Rows StarRocks reported loaded (visible or prepared). */
  public final long rowsLoaded;
  /** Rows StarRocks reported filtered. */
  public final long rowsFiltered;
  /** Body bytes sent, retries included. */
  public final long bytesSent;
  /** Successful load requests. */
  public final long loads;
  /** Failed load attempts. */
  public final long loadFailures;
  /** Requests repeated. */
  public final long retries;
  public final long txnsBegun;
  public final long txnsPrepared;
  public final long txnsCommitted;
  public final long txnsAborted;
  /** Gauge: bytes held in memory now. */
  public final long bufferedBytes;
  /** Gauge: client-side duration of the last load. */
  public final long lastLoadMs;
  /** Sum of StarRocks' LoadTimeMs. */
  public final long serverLoadMs;
  /** Rejected rows fetched from StarRocks' error logs and reported (ABI 1.1; 0 with a 1.0 library). */
  public final long rowsRejected;

  SinkStats(long[] v) {
    rowsWritten = v[0];
    rowsDeleted = v[1];
    bytesWritten = v[2];
    rowsLoaded = v[3];
    rowsFiltered = v[4];
    bytesSent = v[5];
    loads = v[6];
    loadFailures = v[7];
    retries = v[8];
    txnsBegun = v[9];
    txnsPrepared = v[10];
    txnsCommitted = v[11];
    txnsAborted = v[12];
    bufferedBytes = v[13];
    lastLoadMs = v[14];
    serverLoadMs = v[15];
    rowsRejected = v[16];
  }

  static final int FIELDS = 17;

  @Override
  public String toString() {
    return "SinkStats{rowsWritten=" + rowsWritten + ", rowsDeleted=" + rowsDeleted + ", bytesWritten=" + bytesWritten
        + ", rowsLoaded=" + rowsLoaded + ", rowsFiltered=" + rowsFiltered + ", bytesSent=" + bytesSent
        + ", loads=" + loads + ", loadFailures=" + loadFailures + ", retries=" + retries
        + ", txnsBegun=" + txnsBegun + ", txnsPrepared=" + txnsPrepared + ", txnsCommitted=" + txnsCommitted
        + ", txnsAborted=" + txnsAborted + ", bufferedBytes=" + bufferedBytes + ", lastLoadMs=" + lastLoadMs
        + ", serverLoadMs=" + serverLoadMs + ", rowsRejected=" + rowsRejected + "}";
  }
}
