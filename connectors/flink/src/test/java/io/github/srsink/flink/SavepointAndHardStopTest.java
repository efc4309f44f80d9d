package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 2: exactly-once across stop-with-savepoint and a restart from the savepoint, and across a
 * hard stop (cancel without savepoint) and a restart from the last retained checkpoint.
 */
class SavepointAndHardStopTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = TestJobs.cluster();

  @TempDir
  static Path dir;

  @RegisterExtension
  static final Emulator emu = new Emulator(TestJobs.CATALOG);

  static final long N = 100_000;
  static final int KEYS = 3000;

  /**
   * The pace of a run the test stops halfway: 1 ms per element, so the stream lasts ~100 s and
   * cannot end before the checkpoints the test waits for (a slow machine, or ASan, can take
   * seconds per checkpoint). A run that goes to the end uses {@link #TO_THE_END}.
   */
  static final int STOPPED_HALFWAY = 1;

  /** The pace of a run that goes to the end: 1 ms per 40 elements. */
  static final int TO_THE_END = 40;

  /** The workload with stable uids, so a savepoint or checkpoint maps back onto it. */
  static StreamExecutionEnvironment job(String table, String labelPrefix, Path checkpoints, String restoreFrom,
      int pace) {
    return job(table, labelPrefix, checkpoints, restoreFrom, 2, pace);
  }

  static StreamExecutionEnvironment job(String table, String labelPrefix, Path checkpoints, String restoreFrom,
      int sinkParallelism, int pace) {
    Configuration c = new Configuration();
    c.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    c.setString("state.checkpoints.dir", checkpoints.toUri().toString());
    c.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    if (restoreFrom != null) {
      c.setString("execution.savepoint.path", restoreFrom); // Flink 1.20
      c.setString("execution.state-recovery.path", restoreFrom); // Flink 2.x
    }
    StreamExecutionEnvironment env = TestJobs.env(2, 150);
    env.configure(c);
    env.fromSequence(0, N - 1).setParallelism(1).uid("source")
        .map(new TestJobs.Pace(pace, -1, 0)).setParallelism(1).uid("pace")
        .keyBy(new TestJobs.ByKey(KEYS))
        .sinkTo(StarRocksSink.<Long>builder()
            .options(TestJobs.options(emu, table, Semantic.EXACTLY_ONCE, labelPrefix).build())
            .columns("id", "v", "s").primaryKey("id").serializer(new TestJobs.Serializer(KEYS)).build())
        .setParallelism(sinkParallelism).uid("sink");
    return env;
  }

  static void awaitCheckpoints(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (TestJobs.Pace.COMPLETED.get() < n && System.nanoTime() < deadline) Thread.sleep(20);
    assertTrue(TestJobs.Pace.COMPLETED.get() >= n, "checkpoints completed: " + TestJobs.Pace.COMPLETED.get());
  }

  static long rows(String table) throws Exception {
    return emu.stats().path("tables").path("flink." + table).path("upserts").asLong();
  }

  @Test
  void stopWithSavepointThenRestoreAppliesEveryRowExactlyOnce() throws Exception {
    TestJobs.Pace.reset();
    Path ckpts = dir.resolve("ckpt-savepoint");
    JobClient first = job("kv", "sp", ckpts, null, STOPPED_HALFWAY).executeAsync("savepoint, first run");
    awaitCheckpoints(3);
    String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
        SavepointFormatType.CANONICAL).get();
    long afterFirst = rows("kv");
    assertTrue(afterFirst > 0 && afterFirst < N, "the first run stopped halfway: " + afterFirst + " upserts");

    job("kv", "sp", ckpts, savepoint, TO_THE_END).execute("savepoint, second run");
    ExactlyOnceFailoverTest.assertTable(emu, "kv", N, KEYS);
  }

  @Test
  void aHardStopThenRestoreFromTheLastCheckpointAppliesEveryRowExactlyOnce() throws Exception {
    TestJobs.Pace.reset();
    Path ckpts = dir.resolve("ckpt-hard");
    JobClient first = job("kv3", "hard", ckpts, null, STOPPED_HALFWAY).executeAsync("hard stop, first run");
    awaitCheckpoints(4);
    first.cancel().get();
    Path last = lastCheckpoint(ckpts.resolve(first.getJobID().toString()));
    assertNotNull(last, "a retained checkpoint under " + ckpts);

    job("kv3", "hard", ckpts, last.toUri().toString(), TO_THE_END).execute("hard stop, second run");
    ExactlyOnceFailoverTest.assertTable(emu, "kv3", N, KEYS);
  }

  /**
   * Parallelism changes between savepoints: 2 writers, then 1 (it adopts one instance and recovers
   * the other's state), then 3 (two of them start fresh instances).
   */
  @Test
  void parallelismChangesAcrossSavepointsKeepExactlyOnce() throws Exception {
    TestJobs.Pace.reset();
    Path ckpts = dir.resolve("ckpt-rescale");
    String savepoints = dir.resolve("savepoints-rescale").toUri().toString();
    JobClient first = job("kv4", "rescale", ckpts, null, 2, STOPPED_HALFWAY).executeAsync("rescale, 2 writers");
    awaitCheckpoints(3);
    String sp1 = first.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get();

    TestJobs.Pace.reset();
    JobClient second = job("kv4", "rescale", ckpts, sp1, 1, STOPPED_HALFWAY).executeAsync("rescale, 1 writer");
    awaitCheckpoints(3);
    String sp2 = second.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get();
    long afterSecond = rows("kv4");
    assertTrue(afterSecond < N, "the second run stopped before the end: " + afterSecond + " upserts");

    job("kv4", "rescale", ckpts, sp2, 3, TO_THE_END).execute("rescale, 3 writers");
    ExactlyOnceFailoverTest.assertTable(emu, "kv4", N, KEYS);
  }

  /** The completed checkpoint with the highest number (chk-N holding _metadata). */
  static Path lastCheckpoint(Path jobDir) throws Exception {
    try (Stream<Path> s = Files.list(jobDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
          .max((a, b) -> Long.compare(number(a), number(b))).orElse(null);
    }
  }

  private static long number(Path chk) {
    return Long.parseLong(chk.getFileName().toString().substring(4));
  }
}
