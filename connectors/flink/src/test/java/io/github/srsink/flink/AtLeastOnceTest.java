package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Test 4: sink.semantic = at-least-once. */
class AtLeastOnceTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = TestJobs.cluster();

  @RegisterExtension
  static final Emulator emu = new Emulator(TestJobs.CATALOG);

  @Test
  void aFailoverLeavesEveryRowPresentAndTheTableConverged() throws Exception {
    final long n = 60_000;
    final int keys = 3000;
    TestJobs.Pace.reset();
    StreamExecutionEnvironment env = TestJobs.env(2, 150);
    env.fromSequence(0, n - 1).setParallelism(1)
        .map(new TestJobs.Pace(100, n / 2, 2)).setParallelism(1)
        .keyBy(new TestJobs.ByKey(keys))
        .sinkTo(StarRocksSink.<Long>builder()
            .options(TestJobs.options(emu, "kv", Semantic.AT_LEAST_ONCE, "alo1").build())
            .columns("id", "v", "s").serializer(new TestJobs.Serializer(keys)).build())
        .setParallelism(2);
    env.execute("at-least-once failover");
    assertTrue(TestJobs.Pace.FAILED.get(), "the injected failure happened");

    assertEquals(TestJobs.expected(n, keys), TestJobs.table(emu, "kv"));
    JsonNode t = emu.stats().path("tables").path("flink.kv");
    long deletes = TestJobs.deletes(n, keys);
    assertTrue(t.path("upserts").asLong() >= n - deletes, "every upsert applied at least once: " + t);
    assertTrue(t.path("deletes").asLong() >= deletes, "every delete applied at least once: " + t);
  }

  /** Emits its elements, then holds the stream open (no end of input, no checkpoint) until cancelled. */
  static final class HoldAtEnd implements MapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;
    private final long last;

    HoldAtEnd(long last) {
      this.last = last;
    }

    @Override
    public Long map(Long i) throws Exception {
      if (i == last) {
        while (true) Thread.sleep(50); // until the job is cancelled (interrupt)
      }
      return i;
    }
  }

  static final class Not implements FilterFunction<Long> {
    private static final long serialVersionUID = 1L;
    private final long value;

    Not(long value) {
      this.value = value;
    }

    @Override
    public boolean filter(Long i) {
      return i != value;
    }
  }

  @Test
  void theFlushIntervalMakesRowsVisibleWithoutACheckpoint() throws Exception {
    final long rows = 5000;
    StreamExecutionEnvironment env = TestJobs.env(2, 0); // checkpointing off
    env.fromSequence(0, rows).setParallelism(1)
        .filter(new Not(-1)).setParallelism(1)
        .map(new HoldAtEnd(rows)).setParallelism(1)
        .keyBy(new TestJobs.ByKey(1_000_000))
        .sinkTo(StarRocksSink.<Long>builder()
            .options(TestJobs.options(emu, "kv2", Semantic.AT_LEAST_ONCE, "alo2").flushIntervalMs(1000).build())
            .columns("id", "v", "s").serializer(new TestJobs.Serializer(1_000_000)).build())
        .setParallelism(2);
    JobClient job = env.executeAsync("at-least-once flush interval");
    try {
      long deadline = System.nanoTime() + 30_000_000_000L;
      Map<Long, String> expected = TestJobs.expected(rows, 1_000_000);
      Map<Long, String> actual = Map.of();
      while (System.nanoTime() < deadline) {
        actual = TestJobs.table(emu, "kv2");
        if (actual.equals(expected)) break;
        Thread.sleep(200);
      }
      assertEquals(expected, actual, "rows visible while the job runs, with no checkpoint and no end of input");
      assertTrue(!job.getJobStatus().get().isTerminalState(), "the job is still running");
    } finally {
      job.cancel().get();
    }
  }
}
