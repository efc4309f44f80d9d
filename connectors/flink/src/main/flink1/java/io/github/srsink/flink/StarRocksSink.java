package io.github.srsink.flink;

import java.io.IOException;

import org.apache.flink.api.connector.sink2.SinkWriter;

/** The StarRocks sink for Flink 1.20 (see {@link StarRocksSinkBase}). */
public final class StarRocksSink<IN> extends StarRocksSinkBase<IN> {
  private static final long serialVersionUID = 1L;

  StarRocksSink(Builder<IN> b) {
    super(b);
  }

  public static <IN> Builder<IN> builder() {
    return new Builder<>();
  }

  /** Flink 1.20 calls {@link #createWriter(org.apache.flink.api.connector.sink2.WriterInitContext)}; this legacy entry is never used. */
  @Override
  @Deprecated
  public SinkWriter<IN> createWriter(InitContext context) throws IOException {
    throw new UnsupportedOperationException("StarRocksSink needs a WriterInitContext (Flink 1.19+)");
  }
}
