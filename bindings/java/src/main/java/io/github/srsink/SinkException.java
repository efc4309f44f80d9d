package io.github.srsink;

import java.nio.charset.StandardCharsets;

/**
 * An error of the library or of the binding: the status code and its name, the flags
 * (retryable, fatal, data), the HTTP status and the StarRocks label involved, and the library's
 * message (which never contains a password). Each code has its own subclass ({@link Config},
 * {@link NoRoute}, ...), so hosts can catch the ones they handle.
 *
 * <p>{@link #getMessage()} is {@code "SR_SINK_E_X: message (label L, HTTP n)"}; {@link #message()}
 * is the library's message alone.
 */
public class SinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code SR_SINK_ERROR_F_RETRYABLE}: the same call may succeed if repeated later. */
  public static final int FLAG_RETRYABLE = 0x1;
  /** {@code SR_SINK_ERROR_F_FATAL}: the sink is unusable; close it (and restore). */
  public static final int FLAG_FATAL = 0x2;
  /** {@code SR_SINK_ERROR_F_DATA}: caused by the data itself; the same rows fail again. */
  public static final int FLAG_DATA = 0x4;

  private final int code;
  private final String codeName;
  private final int flags;
  private final int httpStatus;
  private final String label;
  private final String message;

  protected SinkException(int code, String codeName, int flags, int httpStatus, String label, String message) {
    super(format(codeName, message, label, httpStatus));
    this.code = code;
    this.codeName = codeName;
    this.flags = flags;
    this.httpStatus = httpStatus;
    this.label = label;
    this.message = message;
  }

  private static String format(String codeName, String message, String label, int httpStatus) {
    StringBuilder b = new StringBuilder(codeName).append(": ").append(message);
    if (!label.isEmpty() || httpStatus != 0) {
      b.append(" (");
      if (!label.isEmpty()) b.append("label ").append(label);
      if (!label.isEmpty() && httpStatus != 0) b.append(", ");
      if (httpStatus != 0) b.append("HTTP ").append(httpStatus);
      b.append(')');
    }
    return b.toString();
  }

  /** The numeric status code ({@code SR_SINK_E_CONFIG} is 2). */
  public int code() {
    return code;
  }

  /** The code's name as the library gives it ({@code "SR_SINK_E_CONFIG"}). */
  public String codeName() {
    return codeName;
  }

  /** The code as an enum ({@link Status#UNKNOWN} for a code newer than this binding). */
  public Status status() {
    return Status.of(code);
  }

  /** The raw {@code SR_SINK_ERROR_F_*} flags. */
  public int flags() {
    return flags;
  }

  /** The same call may succeed if repeated later. */
  public boolean retryable() {
    return (flags & FLAG_RETRYABLE) != 0;
  }

  /** The sink is unusable: close it and reopen it from the last durable checkpoint. */
  public boolean fatal() {
    return (flags & FLAG_FATAL) != 0;
  }

  /** Caused by the rows themselves: sending them again fails again. */
  public boolean data() {
    return (flags & FLAG_DATA) != 0;
  }

  /** The last HTTP status involved, 0 if none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The StarRocks label involved, "" if none. */
  public String label() {
    return label;
  }

  /** The library's message, without the code name. */
  public String message() {
    return message;
  }

  /** Built by the JNI glue for a library error (strings arrive as UTF-8 bytes). */
  static SinkException fromNative(int code, byte[] codeName, int flags, int httpStatus, byte[] label, byte[] message) {
    String name = new String(codeName, StandardCharsets.UTF_8);
    if (name.isEmpty()) name = Status.of(code).codeName();
    return create(code, name, flags, httpStatus, new String(label, StandardCharsets.UTF_8),
        new String(message, StandardCharsets.UTF_8));
  }

  /** An error the binding raises itself, before or instead of calling the library. */
  static SinkException of(Status status, String message) {
    return create(status.code(), status.codeName(), status == Status.DATA ? FLAG_DATA : 0, 0, "", message);
  }

  static SinkException create(int code, String name, int flags, int http, String label, String message) {
    switch (Status.of(code)) {
      case INVALID_ARGUMENT: return new InvalidArgument(code, name, flags, http, label, message);
      case CONFIG: return new Config(code, name, flags, http, label, message);
      case NO_ROUTE: return new NoRoute(code, name, flags, http, label, message);
      case SCHEMA: return new Schema(code, name, flags, http, label, message);
      case DATA: return new Data(code, name, flags, http, label, message);
      case AUTH: return new Auth(code, name, flags, http, label, message);
      case NETWORK: return new Network(code, name, flags, http, label, message);
      case TIMEOUT: return new Timeout(code, name, flags, http, label, message);
      case LOAD: return new Load(code, name, flags, http, label, message);
      case TXN: return new Txn(code, name, flags, http, label, message);
      case STATE: return new State(code, name, flags, http, label, message);
      case NOT_SUPPORTED: return new NotSupported(code, name, flags, http, label, message);
      case RETRY_LATER: return new RetryLater(code, name, flags, http, label, message);
      case CANCELLED: return new Cancelled(code, name, flags, http, label, message);
      case RECOVERY: return new Recovery(code, name, flags, http, label, message);
      case VERSION: return new Version(code, name, flags, http, label, message);
      case NO_MEMORY: return new NoMemory(code, name, flags, http, label, message);
      case INTERNAL: return new Internal(code, name, flags, http, label, message);
      default: return new SinkException(code, name, flags, http, label, message);
    }
  }

  /** {@code SR_SINK_E_INVALID_ARGUMENT}: a bad argument (also raised by the binding). */
  public static final class InvalidArgument extends SinkException {
    private static final long serialVersionUID = 1L;
    InvalidArgument(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_CONFIG}: an options document is invalid; the message names the key. */
  public static final class Config extends SinkException {
    private static final long serialVersionUID = 1L;
    Config(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_NO_ROUTE}: no registered glob matches the table. */
  public static final class NoRoute extends SinkException {
    private static final long serialVersionUID = 1L;
    NoRoute(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_SCHEMA}: table missing, not a Primary Key table, column problems. */
  public static final class Schema extends SinkException {
    private static final long serialVersionUID = 1L;
    Schema(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_DATA}: a row is malformed, or StarRocks rejected rows of a load. */
  public static final class Data extends SinkException {
    private static final long serialVersionUID = 1L;
    Data(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_AUTH}: credentials refused, or the credentials provider failed. */
  public static final class Auth extends SinkException {
    private static final long serialVersionUID = 1L;
    Auth(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_NETWORK}: connection failed on every URL after all retries. */
  public static final class Network extends SinkException {
    private static final long serialVersionUID = 1L;
    Network(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_TIMEOUT}: a deadline passed (request, load, write backpressure). */
  public static final class Timeout extends SinkException {
    private static final long serialVersionUID = 1L;
    Timeout(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_LOAD}: StarRocks refused a load (the message is StarRocks' own). */
  public static final class Load extends SinkException {
    private static final long serialVersionUID = 1L;
    Load(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_TXN}: a transaction operation failed. */
  public static final class Txn extends SinkException {
    private static final long serialVersionUID = 1L;
    Txn(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_STATE}: not valid in the current state (closed, failed, aborted). */
  public static final class State extends SinkException {
    private static final long serialVersionUID = 1L;
    State(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_NOT_SUPPORTED}: not in this mode, or the loaded library is too old. */
  public static final class NotSupported extends SinkException {
    private static final long serialVersionUID = 1L;
    NotSupported(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_RETRY_LATER}: memory budget full and the write deadline is zero. */
  public static final class RetryLater extends SinkException {
    private static final long serialVersionUID = 1L;
    RetryLater(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_CANCELLED}: {@link Sink#cancel()} interrupted the call. */
  public static final class Cancelled extends SinkException {
    private static final long serialVersionUID = 1L;
    Cancelled(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_RECOVERY}: recovery found data it cannot make exactly-once. */
  public static final class Recovery extends SinkException {
    private static final long serialVersionUID = 1L;
    Recovery(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_VERSION}: the library has another ABI major version. */
  public static final class Version extends SinkException {
    private static final long serialVersionUID = 1L;
    Version(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_NO_MEMORY}: an allocation failed. */
  public static final class NoMemory extends SinkException {
    private static final long serialVersionUID = 1L;
    NoMemory(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }

  /** {@code SR_SINK_E_INTERNAL}: a bug in the library. */
  public static final class Internal extends SinkException {
    private static final long serialVersionUID = 1L;
    Internal(int c, String n, int f, int h, String l, String m) { super(c, n, f, h, l, m); }
  }
}
