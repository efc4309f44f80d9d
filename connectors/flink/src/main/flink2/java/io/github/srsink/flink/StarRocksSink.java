package io.github.srsink.flink;

/** The StarRocks sink for Flink 2.x (see {@link StarRocksSinkBase}). */
public final class StarRocksSink<IN> extends StarRocksSinkBase<IN> {
  private static final long serialVersionUID = 1L;

  StarRocksSink(Builder<IN> b) {
    super(b);
  }

  public static <IN> Builder<IN> builder() {
    return new Builder<>();
  }
}
