package io.github.srsink.flink;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import io.github.srsink.Connector;
import io.github.srsink.SinkException;

/**
 * Checks a declared primary key (the Flink table's PRIMARY KEY, or the DataStream builder's
 * {@code primaryKey}) against the StarRocks table, through the library: opening a sink for the
 * key columns alone, with them as the declared key ({@code key_columns}, ABI 1.1), fails with the
 * library's message when the table does not exist, is not a Primary Key table, lacks one of the
 * columns, or has a primary key other than exactly the declared one.
 */
final class KeyCheck {
  private KeyCheck() {}

  static void verify(StarRocksSinkOptions options, List<String> primaryKey) throws IOException {
    if (primaryKey == null || primaryKey.isEmpty()) return;
    try (Connector probe = Connectors.open(options, false, true)) {
      probe.open(options.qualifiedTable(), primaryKey, null, null, primaryKey).close();
    } catch (SinkException e) {
      throw new IOException("StarRocks sink " + options.qualifiedTable() + ": checking the declared primary key "
          + Arrays.toString(primaryKey.toArray()) + " against the StarRocks table: " + e.getMessage(), e);
    }
  }
}
