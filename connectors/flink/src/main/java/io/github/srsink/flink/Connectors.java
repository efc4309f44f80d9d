package io.github.srsink.flink;

import io.github.srsink.Connector;
import io.github.srsink.CredentialsProvider;
import io.github.srsink.SinkException;

/** A library connector with the one registration a sink needs. */
final class Connectors {
  private Connectors() {}

  static Connector open(StarRocksSinkOptions options, boolean onCheckpoint) throws java.io.IOException {
    return open(options, onCheckpoint, false);
  }

  /** keyProbe: a connector for {@link KeyCheck}'s key-only open (partial_update keeps the
   *  library from warning that the other columns would be reset: nothing is written). */
  static Connector open(StarRocksSinkOptions options, boolean onCheckpoint, boolean keyProbe) throws java.io.IOException {
    Connector c = Connector.builder().loggerName("io.github.srsink.native").build();
    java.util.Map<String, Object> o = options.libraryOptions(onCheckpoint);
    if (keyProbe) o.put("partial_update", "row");
    try {
      c.register(globFor(options.qualifiedTable()), o,
          CredentialsProvider.of(options.username(), options.password()), null);
    } catch (SinkException e) {
      c.close();
      throw new java.io.IOException("StarRocks sink " + options.qualifiedTable() + ": bad options: " + e.getMessage(), e);
    }
    return c;
  }

  /** The glob matching exactly this "db.table" (glob metacharacters in a name become classes). */
  static String globFor(String table) {
    StringBuilder g = new StringBuilder(table.length() + 8);
    for (char ch : table.toCharArray()) {
      if (ch == '*' || ch == '?' || ch == '[') g.append('[').append(ch).append(']');
      else g.append(ch);
    }
    return g.toString();
  }
}
