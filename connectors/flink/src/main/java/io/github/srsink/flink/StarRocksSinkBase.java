package io.github.srsink.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The StarRocks Sink V2 on both Flink lines; {@link StarRocksSink} adds what one line needs.
 * Build one with {@link StarRocksSink#builder()}.
 */
public abstract class StarRocksSinkBase<IN> implements org.apache.flink.api.connector.sink2.Sink<IN>,
    SupportsCommitter<StarRocksCommittable>, SupportsWriterState<IN, StarRocksWriterState> {
  private static final long serialVersionUID = 1L;

  private final StarRocksSinkOptions options;
  private final List<String> columns;
  private final List<String> primaryKey;
  private final RecordSerializer<IN> serializer;
  private final String sinkUid;

  protected StarRocksSinkBase(Builder<IN> b) {
    this.options = Objects.requireNonNull(b.options, "options");
    if (b.columns == null || b.columns.isEmpty()) throw new IllegalArgumentException("columns are required");
    this.columns = Collections.unmodifiableList(new ArrayList<>(b.columns));
    this.primaryKey = b.primaryKey == null ? null : Collections.unmodifiableList(new ArrayList<>(b.primaryKey));
    this.serializer = Objects.requireNonNull(b.serializer, "serializer");
    this.sinkUid = b.sinkUid != null ? b.sinkUid : options.qualifiedTable();
  }

  StarRocksSinkOptions options() {
    return options;
  }

  List<String> columns() {
    return columns;
  }

  List<String> primaryKey() {
    return primaryKey;
  }

  RecordSerializer<IN> serializer() {
    return serializer;
  }

  String sinkUid() {
    return sinkUid;
  }

  // Not @Override: in Flink 1.20 this overrides a default method, in 2.x the abstract one.
  public StatefulSinkWriter<IN, StarRocksWriterState> createWriter(WriterInitContext context) throws IOException {
    return new StarRocksWriter<>(this, context, Collections.emptyList());
  }

  @Override
  public StatefulSinkWriter<IN, StarRocksWriterState> restoreWriter(WriterInitContext context,
      Collection<StarRocksWriterState> recoveredState) throws IOException {
    return new StarRocksWriter<>(this, context, recoveredState);
  }

  @Override
  public SimpleVersionedSerializer<StarRocksWriterState> getWriterStateSerializer() {
    return new StarRocksWriterState.Serializer();
  }

  @Override
  public Committer<StarRocksCommittable> createCommitter(CommitterInitContext context) throws IOException {
    return new StarRocksCommitter(options);
  }

  @Override
  public SimpleVersionedSerializer<StarRocksCommittable> getCommittableSerializer() {
    return new StarRocksCommittable.Serializer();
  }

  /** What a StarRocks sink writes and how. */
  public static final class Builder<IN> {
    private StarRocksSinkOptions options;
    private List<String> columns;
    private List<String> primaryKey;
    private RecordSerializer<IN> serializer;
    private String sinkUid;

    Builder() {}

    public Builder<IN> options(StarRocksSinkOptions v) {
      options = v;
      return this;
    }

    /** The columns the rows carry (each row's JSON keys are among them). */
    public Builder<IN> columns(String... v) {
      columns = Arrays.asList(v);
      return this;
    }

    public Builder<IN> columns(List<String> v) {
      columns = v;
      return this;
    }

    /** Optional: the key the stream is keyed by; checked against the table's key at open. */
    public Builder<IN> primaryKey(String... v) {
      primaryKey = Arrays.asList(v);
      return this;
    }

    public Builder<IN> primaryKey(List<String> v) {
      primaryKey = v;
      return this;
    }

    public Builder<IN> serializer(RecordSerializer<IN> v) {
      serializer = v;
      return this;
    }

    /**
     * A name of this sink that stays the same across restarts and differs between two sinks of
     * one table (default: "db.table"). Part of each writer's instance id, so of every transaction
     * label (README, "Instance ids").
     */
    public Builder<IN> sinkUid(String v) {
      sinkUid = v;
      return this;
    }

    public StarRocksSink<IN> build() {
      return new StarRocksSink<>(this);
    }
  }
}
