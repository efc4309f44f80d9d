package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.srsink.Connector;
import io.github.srsink.CredentialsProvider;
import io.github.srsink.Sink;

/**
 * The committer alone, as Flink uses it for restored committables: no writer (no sink) exists in
 * the JVM, so it commits the token through the library (sr_sink_commit_token); twice is harmless.
 */
class CommitterTest {
  @RegisterExtension
  static final Emulator emu = new Emulator(TestJobs.CATALOG);

  /** A CommitRequest as Flink's committer operator hands it over. */
  static final class Request implements Committer.CommitRequest<StarRocksCommittable> {
    final StarRocksCommittable c;
    int retries;
    boolean retry;

    Request(StarRocksCommittable c) {
      this.c = c;
    }

    @Override
    public StarRocksCommittable getCommittable() {
      return c;
    }

    @Override
    public int getNumberOfRetries() {
      return retries;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
      throw new AssertionError("the committer must fail the job, not drop the committable", t);
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
      throw new AssertionError("unexpected", t);
    }

    @Override
    public void retryLater() {
      retry = true;
    }

    @Override
    public void updateAndRetryLater(StarRocksCommittable committable) {
      retry = true;
    }

    @Override
    public void signalAlreadyCommitted() {}
  }

  /** Prepares one transaction of rows as a writer would, and abandons the sink (a crash). */
  static StarRocksCommittable prepared(StarRocksSinkOptions options, String instance, long id, String... rows) {
    try (Connector c = Connector.create()) {
      c.register(options.qualifiedTable(), options.libraryOptions(true), CredentialsProvider.of("root", ""), null);
      Sink s = c.open(options.qualifiedTable(), List.of("id", "v", "s"), instance, null);
      s.write(List.of((Object[]) rows));
      byte[] token = s.onCheckpoint(id);
      return new StarRocksCommittable(instance, id, token);
    }
  }

  @Test
  void aRestoredCommittableIsCommittedWithoutAWriterOnceEvenWhenHandedOverTwice() throws Exception {
    StarRocksSinkOptions options = TestJobs.options(emu, "kv", Semantic.EXACTLY_ONCE, "committer").build();
    StarRocksCommittable c = prepared(options, "job/committer/0", 1,
        "{\"id\":1,\"v\":10,\"s\":\"a\"}", "{\"id\":2,\"v\":20,\"s\":\"b\"}");
    assertEquals(0, emu.rows("flink", "kv").size(), "prepared, not visible");

    try (StarRocksCommitter committer = new StarRocksCommitter(options)) {
      Request r = new Request(c);
      committer.commit(List.of(r));
      assertTrue(!r.retry);
      committer.commit(List.of(new Request(c))); // a restored committable, committed again
    }
    List<JsonNode> rows = emu.rows("flink", "kv");
    assertEquals(2, rows.size(), rows.toString());
    for (Map.Entry<String, JsonNode> e : emu.labels("flink").entrySet()) {
      if (e.getKey().startsWith("committer-")) {
        assertEquals("VISIBLE", e.getValue().path("state").asText(), e.getKey());
        assertEquals(1, e.getValue().path("commits").asInt(), e.getKey() + " applied once");
      }
    }
  }

  @Test
  void anExpiredTransactionFailsTheJobNamingTheCheckpoint() throws Exception {
    StarRocksSinkOptions options = TestJobs.options(emu, "kv2", Semantic.EXACTLY_ONCE, "expired").build();
    StarRocksCommittable c = prepared(options, "job/expired/0", 7, "{\"id\":1,\"v\":10,\"s\":\"a\"}");
    emu.admin("POST", "/_emulator/clock", "{\"advance_s\":100000}"); // past prepared_transaction_default_timeout_second
    try (StarRocksCommitter committer = new StarRocksCommitter(options)) {
      IOException e = assertThrows(IOException.class, () -> committer.commit(List.of(new Request(c))));
      assertTrue(e.getMessage().contains("flink.kv2") && e.getMessage().contains("checkpoint"), e.getMessage());
    }
    assertEquals(0, emu.rows("flink", "kv2").size());
  }
}
