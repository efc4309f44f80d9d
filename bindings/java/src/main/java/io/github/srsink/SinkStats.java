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
  /** Episodes of StarRocks pushing back (too many versions, running-txn limit, 429/503) waited out (ABI 1.2). */
  public final long throttleEpisodes;
  /** Milliseconds spent backing off in those episodes (ABI 1.2). */
  public final long throttleWaitMs;
  /** Requests moved to another FE of http_url after a failure (ABI 1.2). */
  public final long feFailovers;

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
    throttleEpisodes = v[17];
    throttleWaitMs = v[18];
    feFailovers = v[19];
  }

  static final int FIELDS = 20;

  @Override
  public String toString() {
    return "SinkStats{rowsWritten=" + rowsWritten + ", rowsDeleted=" + rowsDeleted + ", bytesWritten=" + bytesWritten
        + ", rowsLoaded=" + rowsLoaded + ", rowsFiltered=" + rowsFiltered + ", bytesSent=" + bytesSent
        + ", loads=" + loads + ", loadFailures=" + loadFailures + ", retries=" + retries
        + ", txnsBegun=" + txnsBegun + ", txnsPrepared=" + txnsPrepared + ", txnsCommitted=" + txnsCommitted
        + ", txnsAborted=" + txnsAborted + ", bufferedBytes=" + bufferedBytes + ", lastLoadMs=" + lastLoadMs
        + ", serverLoadMs=" + serverLoadMs + ", rowsRejected=" + rowsRejected
        + ", throttleEpisodes=" + throttleEpisodes + ", throttleWaitMs=" + throttleWaitMs + ", feFailovers=" + feFailovers
        + "}";
  }
}
