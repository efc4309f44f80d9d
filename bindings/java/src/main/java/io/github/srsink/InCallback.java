package io.github.srsink;

/**
 * Marks the threads that are running a host callback. The ABI forbids calling back into the
 * library from a callback: on the calling thread it would re-enter the sink, on a library thread
 * it would wait for the very call that waits for the callback. The binding refuses such a call
 * with {@link SinkException.State} instead.
 */
final class InCallback {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private InCallback() {}

  static void enter() {
    DEPTH.get()[0]++;
  }

  static void exit() {
    DEPTH.get()[0]--;
  }

  static void check(String what) {
    if (DEPTH.get()[0] > 0) {
      throw SinkException.of(Status.STATE, "cannot " + what + " from inside a callback (credentials, rejected rows, "
          + "log): callbacks must not call back into the library");
    }
  }
}
