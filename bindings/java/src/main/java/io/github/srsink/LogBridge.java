package io.github.srsink;

/** What the JNI glue calls for each log line: never throws. Also carries the binding's own lines. */
final class LogBridge {
  private final LogHandler handler;

  LogBridge(LogHandler handler) {
    this.handler = handler;
  }

  /** Called by the glue (any thread). */
  void line(int level, byte[] message) {
    InCallback.enter();
    try {
      handler.log(LogLevel.of(level), NativeBridge.str(message));
    } catch (Throwable ignored) {
      // A failing log handler loses this line; it must not fail the library's work.
    } finally {
      InCallback.exit();
    }
  }

  /** A line of the binding itself (a callback failed). */
  void binding(LogLevel level, String message) {
    try {
      handler.log(level, "sr-sink-java: " + message);
    } catch (Throwable ignored) {
      // as above
    }
  }
}
