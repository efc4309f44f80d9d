package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The library's counters reach Flink's metric system under Flink's and the official connector's names. */
class MetricsTest {
  static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = TestJobs.cluster(REPORTER.addToConfiguration(new Configuration()));

  @RegisterExtension
  static final Emulator emu = new Emulator(TestJobs.CATALOG);

  /** The sum over subtasks of the metric whose identifier ends with "." + name. */
  static long sum(JobExecutionResult job, String name) {
    long total = 0;
    int found = 0;
    for (Map.Entry<String, Metric> e : REPORTER.findMetrics(job.getJobID(), name).entrySet()) {
      if (!e.getKey().endsWith("." + name)) continue;
      Metric m = e.getValue();
      total += m instanceof Counter ? ((Counter) m).getCount() : ((Number) ((Gauge<?>) m).getValue()).longValue();
      found++;
    }
    assertEquals(2, found, name + " of both writer subtasks: " + REPORTER.findMetrics(job.getJobID(), name).keySet());
    return total;
  }

  @Test
  void libraryCountersAreReportedAsSinkMetrics() throws Exception {
    final long n = 5000;
    StreamExecutionEnvironment env = TestJobs.env(2, 0);
    env.fromSequence(0, n - 1).setParallelism(1)
        .keyBy(new TestJobs.ByKey(1000))
        .sinkTo(StarRocksSink.<Long>builder()
            .options(TestJobs.options(emu, "kv", Semantic.AT_LEAST_ONCE, "metrics").build())
            .columns("id", "v", "s").serializer(new TestJobs.Serializer(1000)).build())
        .setParallelism(2);
    JobExecutionResult job = env.execute("metrics");

    assertEquals(n, sum(job, "numRecordsSend"), "rows taken by the library");
    assertTrue(sum(job, "numBytesSend") > n * 10, "JSON bytes taken by the library");
    assertEquals(n, sum(job, "totalFlushRows"), "rows StarRocks reported loaded");
    assertTrue(sum(job, "totalFlushBytes") >= sum(job, "numBytesSend"), "body bytes sent");
    assertTrue(sum(job, "totalFlushSucceededTimes") >= 2, "at least one load per writer");
    assertEquals(0, sum(job, "totalFlushFailedTimes"));
    assertEquals(0, sum(job, "totalFilteredRows"));
    assertTrue(sum(job, "totalFlushTimeNs") > 0, "time spent flushing");
  }
}
