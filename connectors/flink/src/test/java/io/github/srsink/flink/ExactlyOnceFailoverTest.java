package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Test 1: exactly-once across an automatic failover, parallelism 2, 200 000 upserts and deletes. */
class ExactlyOnceFailoverTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = TestJobs.cluster();

  @RegisterExtension
  static final Emulator emu = new Emulator(TestJobs.CATALOG);

  @Test
  void aFailoverAppliesEveryRowExactlyOnce() throws Exception {
    final long n = 200_000;
    final int keys = 4000;
    TestJobs.Pace.reset();
    StreamExecutionEnvironment env = TestJobs.env(2, 150);
    StarRocksSink<Long> sink = StarRocksSink.<Long>builder()
        .options(TestJobs.options(emu, "kv", Semantic.EXACTLY_ONCE, "eo1").build())
        .columns("id", "v", "s")
        .primaryKey("id")
        .serializer(new TestJobs.Serializer(keys))
        .build();
    env.fromSequence(0, n - 1).setParallelism(1)
        .map(new TestJobs.Pace(150, n / 3, 3)).setParallelism(1)
        .keyBy(new TestJobs.ByKey(keys))
        .sinkTo(sink).setParallelism(2).name("starrocks");
    env.execute("exactly-once failover");

    assertTrue(TestJobs.Pace.FAILED.get(), "the injected failure happened");
    assertTable(emu, "kv", n, keys);
  }

  /** The table equals the workload's result, and every input row was applied exactly once. */
  static void assertTable(Emulator emu, String table, long n, int keys) throws Exception {
    Map<Long, String> actual = TestJobs.table(emu, table);
    Map<Long, String> expected = TestJobs.expected(n, keys);
    assertEquals(expected.size(), actual.size(), "row count");
    assertEquals(expected, actual);

    JsonNode t = emu.stats().path("tables").path("flink." + table);
    long deletes = TestJobs.deletes(n, keys);
    assertEquals(n - deletes, t.path("upserts").asLong(), "upserts applied: each upsert exactly once");
    assertEquals(deletes, t.path("deletes").asLong(), "deletes applied: each delete exactly once");
    int committed = 0;
    for (Map.Entry<String, JsonNode> e : emu.labels("flink").entrySet()) {
      if (!e.getValue().path("table").asText().equals(table)) continue;
      String state = e.getValue().path("state").asText();
      assertTrue(e.getValue().path("commits").asInt() <= 1, "label " + e.getKey() + " committed twice: " + e.getValue());
      assertTrue(!state.equals("PREPARE") && !state.equals("PREPARED"), "label " + e.getKey() + " left " + state);
      if (state.equals("VISIBLE") || state.equals("COMMITTED")) committed++;
    }
    assertTrue(committed > 2, "several transactions committed (" + committed + ")");
  }
}
