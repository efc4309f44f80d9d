package io.github.srsink.flink;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.github.srsink.Op;
import io.github.srsink.flink.internal.JsonBuffer;

/**
 * The deterministic workload of the DataStream tests: element i (0 ≤ i < n) touches key i % keys;
 * it deletes the key when ((i / keys) + key) % 5 == 3, else upserts {id: key, v: i, s: "s<i>"}.
 * The source runs with parallelism 1 and the stream is keyed by id, so each key's operations
 * reach one writer in input order, also on replay.
 */
final class TestJobs {
  private TestJobs() {}

  static final String CATALOG = "{\"databases\":{\"flink\":{\"tables\":{"
      + "\"kv\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true},"
      + "{\"name\":\"v\",\"type\":\"BIGINT\"},{\"name\":\"s\",\"type\":\"VARCHAR(32)\"}]},"
      + "\"kv2\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true},"
      + "{\"name\":\"v\",\"type\":\"BIGINT\"},{\"name\":\"s\",\"type\":\"VARCHAR(32)\"}]},"
      + "\"kv3\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true},"
      + "{\"name\":\"v\",\"type\":\"BIGINT\"},{\"name\":\"s\",\"type\":\"VARCHAR(32)\"}]},"
      + "\"kv4\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true},"
      + "{\"name\":\"v\",\"type\":\"BIGINT\"},{\"name\":\"s\",\"type\":\"VARCHAR(32)\"}]},"
      + "\"agg\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"k\",\"type\":\"VARCHAR(16)\",\"key\":true},"
      + "{\"name\":\"cnt\",\"type\":\"BIGINT\"},{\"name\":\"total\",\"type\":\"DECIMAL(20,2)\"}]},"
      + "\"agg2\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"k\",\"type\":\"VARCHAR(16)\",\"key\":true},"
      + "{\"name\":\"cnt\",\"type\":\"BIGINT\"},{\"name\":\"total\",\"type\":\"DECIMAL(20,2)\"}]},"
      + "\"events\":{\"keys_type\":\"DUP_KEYS\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true},"
      + "{\"name\":\"payload\",\"type\":\"VARCHAR(64)\"}]},"
      + "\"types\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":[{\"name\":\"id\",\"type\":\"INT\",\"key\":true},"
      + "{\"name\":\"b\",\"type\":\"BOOLEAN\"},{\"name\":\"t\",\"type\":\"TINYINT\"},{\"name\":\"sm\",\"type\":\"SMALLINT\"},"
      + "{\"name\":\"big\",\"type\":\"BIGINT\"},{\"name\":\"f\",\"type\":\"FLOAT\"},{\"name\":\"d\",\"type\":\"DOUBLE\"},"
      + "{\"name\":\"dec\",\"type\":\"DECIMAL(38,10)\"},{\"name\":\"dt\",\"type\":\"DATE\"},"
      + "{\"name\":\"ts\",\"type\":\"DATETIME\"},{\"name\":\"str\",\"type\":\"VARCHAR(64)\"},"
      + "{\"name\":\"arr\",\"type\":\"ARRAY<INT>\"},{\"name\":\"m\",\"type\":\"MAP<VARCHAR(8),INT>\"}]}"
      + "}}}}";

  static boolean isDelete(long i, int keys) {
    long key = i % keys;
    return ((i / keys) + key) % 5 == 3;
  }

  /** The table the workload leaves: id → "v|s". */
  static Map<Long, String> expected(long n, int keys) {
    Map<Long, String> t = new TreeMap<>();
    for (long i = 0; i < n; i++) {
      long key = i % keys;
      if (isDelete(i, keys)) t.remove(key);
      else t.put(key, i + "|s" + i);
    }
    return t;
  }

  /** The table as the emulator holds it, in the shape of expected(): id → "v|s". */
  static Map<Long, String> table(Emulator emu, String table) throws Exception {
    Map<Long, String> t = new TreeMap<>();
    for (JsonNode r : emu.rows("flink", table)) t.put(r.get("id").asLong(), r.get("v").asLong() + "|" + r.get("s").asText());
    return t;
  }

  static long deletes(long n, int keys) {
    long d = 0;
    for (long i = 0; i < n; i++) {
      if (isDelete(i, keys)) d++;
    }
    return d;
  }

  static final class Serializer implements RecordSerializer<Long> {
    private static final long serialVersionUID = 1L;
    private final int keys;

    Serializer(int keys) {
      this.keys = keys;
    }

    @Override
    public Op serialize(Long i, JsonBuffer out) {
      long key = i % keys;
      if (isDelete(i, keys)) {
        out.ascii("{\"id\":" + key + "}");
        return Op.DELETE;
      }
      out.ascii("{\"id\":" + key + ",\"v\":" + i + ",\"s\":\"s" + i + "\"}");
      return Op.UPSERT;
    }
  }

  static final class ByKey implements KeySelector<Long, Long> {
    private static final long serialVersionUID = 1L;
    private final int keys;

    ByKey(int keys) {
      this.keys = keys;
    }

    @Override
    public Long getKey(Long i) {
      return i % keys;
    }
  }

  /**
   * Paces the source (a 1 ms pause every `every` elements, so that checkpoints happen during the
   * run) and throws once, at the first element ≥ failAt after `afterCheckpoints` completed
   * checkpoints, when failAt ≥ 0. State is static: one test at a time per JVM.
   */
  static final class Pace implements MapFunction<Long, Long>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger COMPLETED = new AtomicInteger();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    private final int every;
    private final long failAt;
    private final int afterCheckpoints;
    private long seen;

    Pace(int every, long failAt, int afterCheckpoints) {
      this.every = every;
      this.failAt = failAt;
      this.afterCheckpoints = afterCheckpoints;
    }

    static void reset() {
      COMPLETED.set(0);
      FAILED.set(false);
    }

    @Override
    public Long map(Long i) throws Exception {
      if (++seen % every == 0) Thread.sleep(1);
      if (failAt >= 0 && i >= failAt && !FAILED.get()) {
        if (COMPLETED.get() < afterCheckpoints) {
          // Past the failure point too early (a fast run, or a slow sink): hold the stream back
          // until enough checkpoints completed, so the failure always happens. The task keeps
          // processing its mailbox between elements, so checkpoints go on meanwhile.
          Thread.sleep(5);
        } else if (FAILED.compareAndSet(false, true)) {
          throw new RuntimeException("injected failure at element " + i + " after " + COMPLETED.get() + " checkpoints");
        }
      }
      return i;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      COMPLETED.incrementAndGet();
    }
  }

  /** The tests' MiniCluster: one task manager with 4 slots, for the test class. */
  static MiniClusterExtension cluster(Configuration configuration) {
    return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setConfiguration(configuration)
        .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());
  }

  static MiniClusterExtension cluster() {
    return cluster(new Configuration());
  }

  static StreamExecutionEnvironment env(int parallelism, long checkpointMs) {
    Configuration c = new Configuration();
    c.setString("restart-strategy.type", "fixed-delay");
    c.setString("restart-strategy.fixed-delay.attempts", "3");
    c.setString("restart-strategy.fixed-delay.delay", "200 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
    env.configure(c);
    env.setParallelism(parallelism);
    if (checkpointMs > 0) env.enableCheckpointing(checkpointMs);
    return env;
  }

  static StarRocksSinkOptions.Builder options(Emulator emu, String table, Semantic semantic, String labelPrefix) {
    return StarRocksSinkOptions.builder().loadUrl(emu.loadUrl()).database("flink").table(table).username("root")
        .password("").semantic(semantic).labelPrefix(labelPrefix);
  }
}
