package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.srsink.flink.examples.DataStreamExample;
import io.github.srsink.flink.examples.SqlExample;

/** The README's examples run as written against sr-emulator. */
class ExamplesTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = TestJobs.cluster();

  @RegisterExtension
  static final Emulator emu = new Emulator("{\"databases\":{\"shop\":{\"tables\":{"
      + "\"order_totals\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"customer\",\"type\":\"VARCHAR(32)\",\"key\":true},"
      + "{\"name\":\"orders\",\"type\":\"BIGINT\"},{\"name\":\"amount\",\"type\":\"DECIMAL(20,2)\"}]},"
      + "\"squares\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"n\",\"type\":\"BIGINT\",\"key\":true},"
      + "{\"name\":\"square\",\"type\":\"BIGINT\"}]}}}}}");

  @Test
  void theSqlExampleLoadsItsAggregates() throws Exception {
    SqlExample.main(new String[] {emu.loadUrl(), "root", ""});
    long orders = 0;
    for (JsonNode r : emu.rows("shop", "order_totals")) orders += r.get("orders").asLong();
    assertEquals(1000, orders);
  }

  @Test
  void theDataStreamExampleLoadsItsSquares() throws Exception {
    DataStreamExample.main(new String[] {emu.loadUrl(), "root"});
    List<JsonNode> rows = emu.rows("shop", "squares");
    assertEquals(1000, rows.size());
    for (JsonNode r : rows) assertEquals(r.get("n").asLong() * r.get("n").asLong(), r.get("square").asLong());
  }
}
