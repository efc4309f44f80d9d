package io.github.srsink.flink;

/** {@code sink.semantic}: the official connector's names and default (at-least-once). */
public enum Semantic {
  /** Plain Stream Loads at every checkpoint and every flush interval; a replay upserts again. */
  AT_LEAST_ONCE("at-least-once"),
  /** One StarRocks transaction per checkpoint, committed when the checkpoint completes. */
  EXACTLY_ONCE("exactly-once");

  private final String optionValue;

  Semantic(String optionValue) {
    this.optionValue = optionValue;
  }

  public String optionValue() {
    return optionValue;
  }

  public static Semantic of(String value) {
    for (Semantic s : values()) {
      if (s.optionValue.equalsIgnoreCase(value)) return s;
    }
    throw new IllegalArgumentException("Unsupported value '" + value
        + "' for 'sink.semantic'. Supported values are ['at-least-once', 'exactly-once'].");
  }
}
