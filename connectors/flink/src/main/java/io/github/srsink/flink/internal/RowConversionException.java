package io.github.srsink.flink.internal;

/** A value that cannot be written as JSON for StarRocks; the message names the column. */
public final class RowConversionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String column;

  public RowConversionException(String column, String problem) {
    super("column `" + column + "`: " + problem);
    this.column = column;
  }

  public String column() {
    return column;
  }
}
