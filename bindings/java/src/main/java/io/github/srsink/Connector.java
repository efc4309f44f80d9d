package io.github.srsink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The registry of sinks ({@code sr_sink_connector}): registrations by glob over "db.table" (first
 * registered match wins), a shared memory budget and HTTP pool.
 *
 * <p>Thread-safe. {@link #open} may run on several threads at once; {@link #addSink} and
 * {@link #register} wait for running opens (the ABI forbids the overlap). {@link #close} closes
 * the sinks still open (waiting for calls in progress on them), then frees the connector: no
 * callback runs after it returns. Closing twice is harmless.
 */
public final class Connector implements AutoCloseable {
  private final Library library;
  private final LogBridge log;
  private final CallbackErrors callbackErrors;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<Sink> sinks = ConcurrentHashMap.newKeySet();
  private long handle; // guarded by lock; 0 once closed

  private Connector(Builder b) {
    this.library = b.library != null ? b.library : Library.get();
    LogHandler handler = b.logHandler;
    LogLevel level = b.logLevel;
    if (handler == null && Slf4jLogs.available()) {
      handler = Slf4jLogs.handler(b.loggerName);
      if (level == null) level = Slf4jLogs.enabledLevel(b.loggerName);
    }
    if (level == null) level = LogLevel.INFO;
    this.log = new LogBridge(handler != null ? handler : (l, m) -> { });
    this.callbackErrors = new CallbackErrors(log);
    this.handle = NativeBridge.connectorNew(library.handle, level.code(), handler != null ? log : null);
  }

  /** A connector on the default library, logging to SLF4J. */
  public static Connector create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a new connector. */
  public static final class Builder {
    private Library library;
    private LogHandler logHandler;
    private LogLevel logLevel;
    private String loggerName = Slf4jLogs.DEFAULT_LOGGER;

    private Builder() {}

    /** The library to use (default: {@link Library#get()}). */
    public Builder library(Library library) {
      this.library = Objects.requireNonNull(library, "library");
      return this;
    }

    /** Where library log lines go instead of SLF4J. */
    public Builder logHandler(LogHandler handler) {
      this.logHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** The most detailed level delivered (default: what the SLF4J logger has enabled, else INFO). */
    public Builder logLevel(LogLevel level) {
      this.logLevel = Objects.requireNonNull(level, "level");
      return this;
    }

    /** The SLF4J logger of library lines (default {@code io.github.srsink.native}). */
    public Builder loggerName(String name) {
      this.loggerName = Objects.requireNonNull(name, "name");
      return this;
    }

    public Connector build() {
      return new Connector(this);
    }
  }

  public Library library() {
    return library;
  }

  /**
   * Registers tables matching glob with options (a JSON object; see sr_sink.h for the keys) and
   * a credentials provider ({@code sr_sink_connector_add_sink}).
   *
   * @throws SinkException.Config naming the offending key
   */
  public void addSink(String glob, String optionsJson, CredentialsProvider credentials) {
    registerImpl(glob, optionsJson, credentials, null, false);
  }

  /** {@link #addSink(String, String, CredentialsProvider)} with the options as a Map. */
  public void addSink(String glob, Map<String, ?> options, CredentialsProvider credentials) {
    addSink(glob, Json.object(options), credentials);
  }

  /**
   * Registers like {@link #addSink} plus a consumer of the rows StarRocks rejects
   * ({@code sr_sink_connector_register}, ABI 1.1). rejectedRows may be null (rejected rows are
   * then only counted and logged).
   *
   * @throws SinkException.NotSupported when the loaded library is older than ABI 1.1
   */
  public void register(String glob, String optionsJson, CredentialsProvider credentials,
      RejectedRowsConsumer rejectedRows) {
    registerImpl(glob, optionsJson, credentials, rejectedRows, true);
  }

  public void register(String glob, Map<String, ?> options, CredentialsProvider credentials,
      RejectedRowsConsumer rejectedRows) {
    register(glob, Json.object(options), credentials, rejectedRows);
  }

  private void registerImpl(String glob, String options, CredentialsProvider credentials,
      RejectedRowsConsumer rejected, boolean useRegister) {
    if (credentials == null) throw SinkException.of(Status.INVALID_ARGUMENT, "credentials provider is null");
    InCallback.check("register a sink");
    byte[] g = NativeBridge.cstr("glob", glob);
    byte[] o = NativeBridge.cstr("options", options);
    lock.writeLock().lock();
    try {
      long h = live("register a sink");
      NativeBridge.connectorRegister(library.handle, h, g, o, new CredentialsBridge(credentials, callbackErrors),
          rejected == null ? null : new RejectedRowsBridge(rejected, callbackErrors), useRegister);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Opens a sink for table ("db.table") writing columns, in on_watermark style (no instance id). */
  public Sink open(String table, List<String> columns) {
    return open(table, columns, null, null);
  }

  /**
   * Opens a sink ({@code sr_sink_open}).
   *
   * @param instanceId a stable name of this writer across restarts ("job1/op3/subtask0");
   *     required in on_checkpoint mode, null otherwise allowed
   * @param restoreToken the token of the host's last durable checkpoint, or null for a fresh start
   * @throws SinkException.NoRoute, SinkException.Schema, SinkException.Auth, ...
   */
  public Sink open(String table, List<String> columns, String instanceId, byte[] restoreToken) {
    return open(table, columns, instanceId, restoreToken, null);
  }

  /**
   * Opens a sink ({@code sr_sink_open}) and checks the host's own primary key against the table's
   * (ABI 1.1 {@code key_columns}).
   *
   * @param keyColumns the host's primary key (a SQL engine's declared key), or null not to check
   *     it; open refuses a table whose primary key is not exactly these columns (any order)
   * @throws SinkException.Schema when the keys differ; SinkException.NotSupported with a libsr_sink
   *     1.0, which cannot check them
   */
  public Sink open(String table, List<String> columns, String instanceId, byte[] restoreToken,
      List<String> keyColumns) {
    InCallback.check("open a sink");
    byte[] t = NativeBridge.cstr("table", table);
    if (columns == null) throw SinkException.of(Status.INVALID_ARGUMENT, "columns is null");
    byte[][] cols = cstrs("column", columns);
    byte[][] keys = keyColumns == null ? null : cstrs("key column", keyColumns);
    byte[] id = instanceId == null ? null : NativeBridge.cstr("instance id", instanceId);
    byte[] token = restoreToken == null || restoreToken.length == 0 ? null : restoreToken.clone();
    lock.readLock().lock();
    try {
      long h = live("open a sink");
      long s = NativeBridge.open(library.handle, h, t, cols, id, token, keys);
      Sink sink = new Sink(this, table, s);
      sinks.add(sink);
      return sink;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static byte[][] cstrs(String what, List<String> names) {
    byte[][] out = new byte[names.size()][];
    for (int i = 0; i < out.length; i++) out[i] = NativeBridge.cstr(what + " " + i, names.get(i));
    return out;
  }

  /**
   * Commits every transaction a stored commit token names, with no sink open
   * ({@code sr_sink_commit_token}, ABI 1.1): for a committer that runs apart from the writer.
   * Idempotent: committing a token twice is OK.
   *
   * @throws SinkException.Recovery when the data is not committable (expired, unknown, malformed)
   * @throws SinkException.NoRoute when no registration matches the token's table
   */
  public void commitToken(byte[] token) {
    InCallback.check("commit a token");
    if (token == null) throw SinkException.of(Status.INVALID_ARGUMENT, "token is null");
    lock.readLock().lock();
    try {
      NativeBridge.commitToken(library.handle, live("commit a token"), token);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many times a callback (credentials, rejected rows) failed on this connector. */
  public long callbackErrors() {
    return callbackErrors.count();
  }

  public boolean isClosed() {
    lock.readLock().lock();
    try {
      return handle == 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Closes the sinks still open, then frees the connector. Throws the first error a sink's close
   * reported (every sink is closed and the connector freed either way).
   */
  @Override
  public void close() {
    InCallback.check("close a connector");
    SinkException first = null;
    lock.writeLock().lock(); // no open() can add a sink while they are being closed
    try {
      if (handle == 0) return;
      for (Sink s : new ArrayList<>(sinks)) {
        try {
          s.close();
        } catch (SinkException e) {
          if (first == null) first = e;
        }
      }
      NativeBridge.connectorFree(library.handle, handle);
      handle = 0;
    } finally {
      lock.writeLock().unlock();
    }
    if (first != null) throw first;
  }

  void forget(Sink sink) {
    sinks.remove(sink);
  }

  private long live(String what) {
    if (handle == 0) throw SinkException.of(Status.STATE, "cannot " + what + ": the connector is closed");
    return handle;
  }
}
