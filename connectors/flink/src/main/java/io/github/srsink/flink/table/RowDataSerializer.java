package io.github.srsink.flink.table;

import java.time.ZoneId;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import io.github.srsink.Op;
import io.github.srsink.flink.RecordSerializer;
import io.github.srsink.flink.internal.JsonBuffer;
import io.github.srsink.flink.internal.RowDataJson;

/**
 * A changelog row → an upsert or a delete: INSERT and UPDATE_AFTER upsert, DELETE deletes,
 * UPDATE_BEFORE is dropped (its UPDATE_AFTER carries the same key) unless
 * {@code sink.ignore.update-before} is false, when it deletes (for a changelog whose update
 * changes the key).
 */
public final class RowDataSerializer implements RecordSerializer<RowData> {
  private static final long serialVersionUID = 1L;
  private final RowDataJson json;
  private final boolean ignoreUpdateBefore;

  public RowDataSerializer(RowType type, ZoneId sessionZone, boolean ignoreUpdateBefore) {
    this.json = new RowDataJson(type, sessionZone);
    this.ignoreUpdateBefore = ignoreUpdateBefore;
  }

  @Override
  public Op serialize(RowData row, JsonBuffer out) {
    Op op;
    switch (row.getRowKind()) {
      case INSERT:
      case UPDATE_AFTER:
        op = Op.UPSERT;
        break;
      case DELETE:
        op = Op.DELETE;
        break;
      case UPDATE_BEFORE:
        if (ignoreUpdateBefore) return null;
        op = Op.DELETE;
        break;
      default:
        throw new IllegalStateException("unknown row kind " + row.getRowKind());
    }
    json.write(row, out);
    return op;
  }
}
