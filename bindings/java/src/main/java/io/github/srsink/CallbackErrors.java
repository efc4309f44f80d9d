package io.github.srsink;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the failures of a connector's callbacks and reports each to its log. */
final class CallbackErrors {
  private final AtomicLong count = new AtomicLong();
  private final LogBridge log;

  CallbackErrors(LogBridge log) {
    this.log = log;
  }

  void report(String what, Throwable e) {
    count.incrementAndGet();
    // The exception's class and message only: a stack trace of host code is the host's business.
    log.binding(LogLevel.WARN, what + " failed: " + e);
  }

  long count() {
    return count.get();
  }
}
