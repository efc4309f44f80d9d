package io.github.srsink;

import static io.github.srsink.Scenario.BAD_JSON;
import static io.github.srsink.Scenario.ORDERS;
import static io.github.srsink.Scenario.R1;
import static io.github.srsink.Scenario.R1_DUMP;
import static io.github.srsink.Scenario.R1_JSON;
import static io.github.srsink.Scenario.R2;
import static io.github.srsink.Scenario.R2_DUMP;
import static io.github.srsink.Scenario.R2_JSON;
import static io.github.srsink.Scenario.R3_JSON;
import static io.github.srsink.Scenario.ROOT;
import static io.github.srsink.Scenario.opts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SCENARIOS.md C10, C11, C17: credentials, log lines, rejected rows. */
class CallbackScenariosTest extends EmulatorTest {

  static final class Call {
    final String table;
    final boolean afterAuthFailure;

    Call(String table, boolean afterAuthFailure) {
      this.table = table;
      this.afterAuthFailure = afterAuthFailure;
    }
  }

  @Test
  void c10_credentialsCalledAndRotatedAfter401() throws Exception {
    Emulator emu = emu("--users", "root:,alice:pw1");
    Map<String, String> secretStore = new ConcurrentHashMap<>(Map.of("alice", "pw1"));
    Map<String, String> cache = new ConcurrentHashMap<>(Map.of("password", "pw1"));
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    LogHandler log = (level, m) -> seen.add(m);

    try (Connector c = Connector.builder().logHandler(log).logLevel(LogLevel.DEBUG).build()) {
      c.addSink("shop.*", opts(emu), (table, after) -> {
        calls.add(new Call(table, after));
        if (after) cache.put("password", secretStore.get("alice"));
        return Credentials.of("alice", cache.get("password"));
      });
      try (Sink s = c.open("shop.orders", ORDERS)) {
        assertFalse(calls.isEmpty());
        synchronized (calls) {
          calls.forEach(x -> assertEquals("shop.orders", x.table));
        }
        emu.setUser("alice", "pw2");
        secretStore.put("alice", "pw2");
        s.write(List.of(R1));
        s.onWatermark(1);
      }
      assertTrue(calls.stream().anyMatch(x -> x.afterAuthFailure && x.table.equals("shop.orders")));
      assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));
    }

    try (Connector c = Connector.builder().logHandler(log).logLevel(LogLevel.DEBUG).build()) {
      c.addSink("shop.*", opts(emu), CredentialsProvider.of("alice", "wrong"));
      SinkException e = expect(SinkException.Auth.class, "SR_SINK_E_AUTH", () -> c.open("shop.orders", ORDERS));
      assertEquals(401, e.httpStatus());
      seen.add(e.getMessage());
    }

    try (Connector c = Connector.builder().logHandler(log).logLevel(LogLevel.DEBUG).build()) {
      c.addSink("shop.*", opts(emu), (table, after) -> {
        throw new IllegalStateException("secret store unavailable");
      });
      SinkException e = expect(SinkException.Auth.class, "SR_SINK_E_AUTH", () -> c.open("shop.orders", ORDERS));
      seen.add(e.getMessage());
      assertTrue(c.callbackErrors() >= 1);
    }

    synchronized (seen) {
      for (String text : seen) {
        for (String secret : List.of("pw1", "pw2", "wrong")) assertFalse(text.contains(secret), text);
      }
    }
  }

  static final class Line {
    final LogLevel level;
    final String message;
    final Thread thread;

    Line(LogLevel level, String message, Thread thread) {
      this.level = level;
      this.message = message;
      this.thread = thread;
    }
  }

  @Test
  void c11_logLinesArriveFromALibraryThread() throws Exception {
    Emulator emu = emu("--users", "root:,alice:s3cret");
    List<Line> got = Collections.synchronizedList(new ArrayList<>());
    Connector c = Connector.builder().logLevel(LogLevel.DEBUG)
        .logHandler((level, m) -> got.add(new Line(level, m, Thread.currentThread()))).build();
    c.addSink("shop.*", opts(emu), CredentialsProvider.of("alice", "s3cret"));
    try (Sink s = c.open("shop.orders", ORDERS)) {
      s.write(List.of(R1, R2));
      s.onWatermark(1);
    }
    c.close();
    int count = got.size();
    assertTrue(count >= 1);
    synchronized (got) {
      for (Line l : got) {
        assertTrue(l.level.code() >= 1 && l.level.code() <= 4);
        assertFalse(l.message.isEmpty());
        assertFalse(l.message.contains("\n"), l.message);
        assertFalse(l.message.contains("s3cret"), l.message);
      }
      assertTrue(got.stream().anyMatch(l -> l.thread != Thread.currentThread()), "no line from a library thread");
    }
    assertEquals(count, got.size(), "a line arrived after the connector was closed");
  }

  static final class Rejected {
    final String table;
    final String label;
    final String row;
    final String reason;

    Rejected(RejectedRow r) {
      table = r.table();
      label = r.label();
      row = r.row();
      reason = r.reason();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"on_watermark", "on_checkpoint"})
  void c17_rejectedRowsReachTheConsumer(String mode) throws Exception {
    Emulator emu = emu();
    List<String> info = Collections.synchronizedList(new ArrayList<>());
    List<Rejected> rows = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean failing = new AtomicBoolean();
    boolean ckp = mode.equals("on_checkpoint");
    Map<String, Object> options = opts(emu, mode, "properties", Map.of("strict_mode", "true", "max_filter_ratio", "0.5"));
    try (Connector c = Connector.builder().logLevel(LogLevel.INFO).logHandler((l, m) -> info.add(m)).build()) {
      c.register("shop.*", options, ROOT, r -> {
        rows.add(new Rejected(r));
        if (failing.get()) throw new IllegalStateException("dead-letter queue unavailable");
      });
      try (Sink s = c.open("shop.orders", ORDERS, ckp ? "conf/c17/0" : null, null)) {
        s.write(List.of(R1_JSON, BAD_JSON, R2_JSON));
        if (ckp) {
          s.onCheckpoint(1);
          s.commit(1);
        } else {
          s.onWatermark(1);
        }
        assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));
        assertEquals(1, rows.size(), "rejected rows: " + rows.size());
        Rejected r = rows.get(0);
        assertEquals("shop.orders", r.table);
        assertTrue(r.label.startsWith("conf-"), r.label);
        assertContains(r.row, "xxxxxxxxxx");
        assertFalse(r.reason.isEmpty());
        SinkStats st = s.stats();
        assertEquals(1, st.rowsRejected, st.toString());
        assertEquals(1, st.rowsFiltered, st.toString());
      }
      synchronized (info) {
        for (String line : info) assertFalse(line.contains("xxxxxxxxxx"), line);
      }

      // A second sink whose consumer fails for every row: 1 of 3 rows filtered is within the
      // ratio, so only the failing consumer makes the load's outcome a data error.
      failing.set(true);
      long errorsBefore = c.callbackErrors();
      try (Sink s = c.open("shop.orders", ORDERS, ckp ? "conf/c17/1" : null, null)) {
        s.write(List.of(R2_JSON, R3_JSON, BAD_JSON));
        expect(SinkException.Data.class, "SR_SINK_E_DATA", () -> {
          if (ckp) {
            s.onCheckpoint(1);
          } else {
            s.onWatermark(2);
          }
        });
      }
      assertTrue(c.callbackErrors() > errorsBefore, "the consumer's exception was not counted");
    }
  }
}
