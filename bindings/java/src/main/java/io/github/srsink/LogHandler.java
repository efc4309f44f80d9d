package io.github.srsink;

/**
 * Receives the library's log lines (one line, no newline, never a secret). The default handler
 * writes them to SLF4J. Called from the calling thread or library threads, possibly concurrently:
 * it must be thread-safe and must not call back into the library. An exception it throws loses
 * that line and nothing else.
 */
@FunctionalInterface
public interface LogHandler {
  void log(LogLevel level, String message);
}
