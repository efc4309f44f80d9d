package io.github.srsink;

/** What the JNI glue calls for each rejected row: never throws; 0 = taken. */
final class RejectedRowsBridge {
  private final RejectedRowsConsumer consumer;
  private final CallbackErrors errors;

  RejectedRowsBridge(RejectedRowsConsumer consumer, CallbackErrors errors) {
    this.consumer = consumer;
    this.errors = errors;
  }

  int accept(byte[] table, byte[] label, byte[] row, byte[] reason) {
    InCallback.enter();
    try {
      consumer.accept(new RejectedRow(NativeBridge.str(table), NativeBridge.str(label), row, NativeBridge.str(reason)));
      return 0;
    } catch (Throwable e) {
      errors.report("rejected-rows consumer", e);
      return 1;
    } finally {
      InCallback.exit();
    }
  }
}
