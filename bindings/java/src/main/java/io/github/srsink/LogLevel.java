package io.github.srsink;

/** The library's log levels ({@code SR_SINK_LOG_*}). */
public enum LogLevel {
  ERROR(1),
  WARN(2),
  INFO(3),
  DEBUG(4);

  private final int code;

  LogLevel(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static LogLevel of(int code) {
    for (LogLevel l : values()) {
      if (l.code == code) return l;
    }
    return code < 1 ? ERROR : DEBUG;
  }
}
