package io.github.srsink;

import java.nio.charset.StandardCharsets;

/** One row StarRocks rejected (filtered), as its error log reports it. */
public final class RejectedRow {
  private final String table;
  private final String label;
  private final byte[] row;
  private final String reason;

  RejectedRow(String table, String label, byte[] row, String reason) {
    this.table = table;
    this.label = label;
    this.row = row;
    this.reason = reason;
  }

  /** "db.table". */
  public String table() {
    return table;
  }

  /** The label of the load or transaction that reported it. */
  public String label() {
    return label;
  }

  /** The row text as StarRocks reports it (may be cut by StarRocks; empty when it gave none). */
  public byte[] rowBytes() {
    return row.clone();
  }

  /** {@link #rowBytes()} as UTF-8 text. */
  public String row() {
    return new String(row, StandardCharsets.UTF_8);
  }

  /** StarRocks' reason for this row ("" if none). */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "RejectedRow{table=" + table + ", label=" + label + ", reason=" + reason + ", " + row.length + " bytes}";
  }
}
