package io.github.srsink;

/** The execution modes of the options' {@code execution_mode}. */
public enum ExecutionMode {
  /** Exactly-once: one transaction per checkpoint, committed when the checkpoint is durable. */
  ON_CHECKPOINT(0, "on_checkpoint"),
  /** At-least-once: data is visible when {@link Sink#onWatermark} returns. */
  ON_WATERMARK(1, "on_watermark");

  private final int code;
  private final String optionValue;

  ExecutionMode(int code, String optionValue) {
    this.code = code;
    this.optionValue = optionValue;
  }

  /** {@code SR_SINK_MODE_*}. */
  public int code() {
    return code;
  }

  /** The value of the {@code execution_mode} option. */
  public String optionValue() {
    return optionValue;
  }

  static ExecutionMode of(int code) {
    for (ExecutionMode m : values()) {
      if (m.code == code) return m;
    }
    throw SinkException.of(Status.RECOVERY, "token names an unknown execution mode " + code);
  }
}
