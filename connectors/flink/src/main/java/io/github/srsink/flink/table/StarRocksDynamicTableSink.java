package io.github.srsink.flink.table;

import java.time.ZoneId;
import java.util.List;

import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import io.github.srsink.flink.StarRocksSink;
import io.github.srsink.flink.StarRocksSinkOptions;

/** The planned sink: upsert mode (or all row kinds when UPDATE_BEFORE becomes a delete). */
final class StarRocksDynamicTableSink implements DynamicTableSink {
  private final StarRocksSinkOptions options;
  private final RowType rowType;
  private final List<String> primaryKey;
  private final ZoneId sessionZone;
  private final boolean ignoreUpdateBefore;
  private final Integer parallelism;
  private final String sinkUid;

  StarRocksDynamicTableSink(StarRocksSinkOptions options, RowType rowType, List<String> primaryKey, ZoneId sessionZone,
      boolean ignoreUpdateBefore, Integer parallelism, String sinkUid) {
    this.options = options;
    this.rowType = rowType;
    this.primaryKey = primaryKey;
    this.sessionZone = sessionZone;
    this.ignoreUpdateBefore = ignoreUpdateBefore;
    this.parallelism = parallelism;
    this.sinkUid = sinkUid;
  }

  @Override
  public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
    if (ignoreUpdateBefore) return ChangelogMode.upsert();
    ChangelogMode.Builder b = ChangelogMode.newBuilder();
    for (RowKind k : requestedMode.getContainedKinds()) b.addContainedKind(k);
    return b.build();
  }

  @Override
  public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
    StarRocksSink<RowData> sink = StarRocksSink.<RowData>builder()
        .options(options)
        .columns(rowType.getFieldNames())
        .primaryKey(primaryKey)
        .serializer(new RowDataSerializer(rowType, sessionZone, ignoreUpdateBefore))
        .sinkUid(sinkUid)
        .build();
    return SinkV2Provider.of(sink, parallelism);
  }

  @Override
  public DynamicTableSink copy() {
    return new StarRocksDynamicTableSink(options, rowType, primaryKey, sessionZone, ignoreUpdateBefore, parallelism, sinkUid);
  }

  @Override
  public String asSummaryString() {
    return "StarRocks[" + options.qualifiedTable() + ", " + options.semantic().optionValue() + "]";
  }
}
