package io.github.srsink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link LogHandler}: SLF4J (slf4j-api 1.7 calls, so SLF4J 1.7 and 2.x hosts both
 * work). Only touched when SLF4J is on the class path.
 */
final class Slf4jLogs {
  /** The logger of library lines unless the connector names another. */
  static final String DEFAULT_LOGGER = "io.github.srsink.native";

  private Slf4jLogs() {}

  static boolean available() {
    try {
      Class.forName("org.slf4j.LoggerFactory", false, Slf4jLogs.class.getClassLoader());
      return true;
    } catch (Throwable e) {
      return false;
    }
  }

  static LogHandler handler(String loggerName) {
    Logger log = LoggerFactory.getLogger(loggerName);
    return (level, message) -> {
      switch (level) {
        case ERROR: log.error(message); break;
        case WARN: log.warn(message); break;
        case INFO: log.info(message); break;
        default: log.debug(message); break;
      }
    };
  }

  /** The most detailed level the logger has enabled, so the library does not format lines in vain. */
  static LogLevel enabledLevel(String loggerName) {
    Logger log = LoggerFactory.getLogger(loggerName);
    if (log.isDebugEnabled()) return LogLevel.DEBUG;
    if (log.isInfoEnabled()) return LogLevel.INFO;
    if (log.isWarnEnabled()) return LogLevel.WARN;
    return LogLevel.ERROR;
  }
}
