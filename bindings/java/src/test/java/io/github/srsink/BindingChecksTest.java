package io.github.srsink;

import static io.github.srsink.Scenario.BAD_JSON;
import static io.github.srsink.Scenario.ORDERS;
import static io.github.srsink.Scenario.R1;
import static io.github.srsink.Scenario.R1_DUMP;
import static io.github.srsink.Scenario.R1_JSON;
import static io.github.srsink.Scenario.R2_DUMP;
import static io.github.srsink.Scenario.R2_JSON;
import static io.github.srsink.Scenario.ROOT;
import static io.github.srsink.Scenario.opts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.impl.RecordingLoggers;

/** SCENARIOS.md B1–B5 in Java's idiom, plus cancel, re-entry and the SLF4J route. */
class BindingChecksTest extends EmulatorTest {

  @Test
  void b1_tokenReleasedExactlyOnce() throws Exception {
    int[] counters = new int[2];
    byte[] fake = NativeBridge.testTakeFakeToken(counters);
    assertEquals("{\"v\":1,\"txns\":[]}", new String(fake, StandardCharsets.UTF_8));
    assertEquals(1, counters[0], "release calls");
    assertEquals(1, counters[1], "release is NULL afterwards");

    // A real token is the host's byte[]: it outlives the sink and the connector.
    Emulator emu = emu();
    Connector c = Connector.create();
    c.addSink("shop.*", opts(emu, "on_checkpoint"), ROOT);
    Sink s = c.open("shop.orders", ORDERS, "conf/b1/0", null);
    s.upsert(R1);
    byte[] token = s.onCheckpoint(1);
    byte[] saved = token.clone();
    s.close();
    c.close();
    System.gc();
    assertArrayEquals(saved, token);
    assertEquals('{', token[0]);
  }

  @Test
  void b2_callbacksOutliveTheHostReferences() throws Exception {
    Emulator emu = emu();
    AtomicLong credentialCalls = new AtomicLong();
    AtomicLong logLines = new AtomicLong();
    Connector c = closeLater(Connector.builder().logLevel(LogLevel.DEBUG)
        .logHandler(new LogHandler() { // state only the handler references
          @Override
          public void log(LogLevel level, String message) {
            logLines.incrementAndGet();
          }
        }).build());
    register(c, emu, credentialCalls);
    for (int i = 0; i < 3; i++) {
      System.gc();
      System.runFinalization();
    }
    try (Sink s = c.open("shop.orders", ORDERS)) {
      s.upsert(R1);
      System.gc();
      s.onWatermark(1);
    }
    assertTrue(credentialCalls.get() > 0);
    assertTrue(logLines.get() > 0);
    assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));
  }

  private static void register(Connector c, Emulator emu, AtomicLong calls) {
    String user = new String("root".toCharArray()); // reachable only through the lambda
    c.addSink("shop.*", opts(emu), (table, after) -> {
      calls.incrementAndGet();
      return Credentials.of(user, "");
    });
  }

  @Test
  void b3_callbackFailuresAreContained() throws Exception {
    Emulator emu = emu();
    AtomicBoolean threw = new AtomicBoolean();
    try (Connector c = Connector.builder().logLevel(LogLevel.DEBUG).logHandler((l, m) -> {
      threw.set(true);
      throw new IllegalStateException("log handler throws on purpose");
    }).build()) {
      c.addSink("shop.*", opts(emu), ROOT);
      try (Sink s = c.open("shop.orders", ORDERS)) {
        s.upsert(R1);
        s.onWatermark(1);
      }
    }
    assertTrue(threw.get(), "the log handler never ran");
    assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));

    // The same with an SLF4J logger that throws.
    try (Connector c = Connector.builder().loggerName("test.throwing").build()) {
      c.addSink("shop.*", opts(emu), ROOT);
      try (Sink s = c.open("shop.orders", ORDERS)) {
        s.upsert(R2_JSON);
        s.onWatermark(1);
      }
    }
    assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));

    try (Connector c = Connector.create()) {
      c.addSink("shop.*", opts(emu), (table, after) -> {
        throw new Error("credentials provider throws an Error on purpose");
      });
      expect(SinkException.Auth.class, "SR_SINK_E_AUTH", () -> c.open("shop.orders", ORDERS));
      c.addSink("other.*", opts(emu), (table, after) -> null); // null is a failure too
      assertEquals(1, c.callbackErrors() >= 1 ? 1 : 0);
    }
  }

  @Test
  void b4_errorValuesCarryEveryDetail() throws Exception {
    Emulator emu = emu();
    try (Connector c = Connector.create()) {
      c.addSink("shop.*", opts(emu, "on_watermark", "properties", Map.of("strict_mode", "true")), ROOT);
      SinkException e = assertThrows(SinkException.class, () -> c.open("nowhere.t", List.of("id")));
      assertInstanceOf(SinkException.NoRoute.class, e);
      assertEquals(Status.NO_ROUTE, e.status());
      assertEquals(3, e.code());
      assertEquals("SR_SINK_E_NO_ROUTE", e.codeName());
      assertFalse(e.retryable());
      assertFalse(e.data());
      assertEquals("", e.label());
      assertEquals(0, e.httpStatus());
      assertTrue(e.getMessage().startsWith("SR_SINK_E_NO_ROUTE: "), e.getMessage());
      assertContains(e.getMessage(), e.message());

      try (Sink s = c.open("shop.orders", ORDERS)) {
        s.upsert(BAD_JSON);
        SinkException le = assertThrows(SinkException.class, () -> s.onWatermark(1));
        assertFalse(le.label().isEmpty(), le.getMessage());
        assertTrue(le.httpStatus() != 0, le.getMessage());
        assertContains(le.getMessage(), le.label());
        assertTrue(le instanceof SinkException.Data || le instanceof SinkException.Load, le.getClass().getName());
        le.fatal(); // present; its value is the library's classification
      }
    }
  }

  @Test
  void b5_nativeAndEncodedRowsAreIdentical() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    try (Sink s = c.open("shop.orders", ORDERS)) {
      Map<String, Object> alice = new LinkedHashMap<>();
      alice.put("id", 1);
      alice.put("name", "alice");
      alice.put("amount", new BigDecimal("10.50"));
      s.write(List.of(alice, Scenario.row(2, "bob", "20.00")));
      s.onWatermark(1);
      List<String> nativeDump = emu.dump("shop.orders");
      s.delete("{\"id\":1}", "{\"id\":2}".getBytes(StandardCharsets.UTF_8));
      s.onWatermark(2);
      assertEquals(List.of(), emu.dump("shop.orders"));
      s.write(List.of(R1_JSON, R2_JSON.getBytes(StandardCharsets.UTF_8)));
      s.onWatermark(3);
      assertEquals(nativeDump, emu.dump("shop.orders"));
      assertEquals(List.of(R1_DUMP, R2_DUMP), nativeDump);

      long before = s.stats().rowsWritten;
      SinkException e = expect(SinkException.InvalidArgument.class, "SR_SINK_E_INVALID_ARGUMENT",
          () -> s.write(List.of(R1_JSON, R2_JSON), List.of(Op.UPSERT)));
      assertContains(e.message(), "2 rows but 1 ops");
      assertEquals(before, s.stats().rowsWritten, "the library was called");
      e = expect(SinkException.InvalidArgument.class, "SR_SINK_E_INVALID_ARGUMENT",
          () -> s.write(List.of(Map.of("id", 5, "name", new Object()))));
      assertContains(e.message(), "row 0");
      assertContains(e.message(), "name");
      expect(SinkException.InvalidArgument.class, "SR_SINK_E_INVALID_ARGUMENT", () -> s.write(List.of(42)));
    }
  }

  /** Batch.add(op, bytes, off, len): rows as slices of one reused array load as the whole rows do. */
  @Test
  void batchRowsFromSlicesOfOneReusedArray() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    try (Sink s = c.open("shop.orders", ORDERS)) {
      byte[] scratch = new byte[256];
      Batch batch = new Batch(64, 1);
      for (String row : List.of(R1_JSON, R2_JSON, "{\"id\":2}")) {
        java.util.Arrays.fill(scratch, (byte) 'x'); // what lies around the slice must not leak in
        byte[] b = row.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, scratch, 7, b.length);
        batch.add(row.equals("{\"id\":2}") ? Op.DELETE : Op.UPSERT, scratch, 7, b.length);
      }
      assertEquals(3, batch.size());
      assertEquals(R1_JSON.length() + R2_JSON.length() + 8, batch.bytes());
      s.write(batch);
      s.onWatermark(1);
      assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));
      for (int[] bad : new int[][] {{-1, 3}, {0, -1}, {250, 7}, {0, 257}}) {
        SinkException e = expect(SinkException.InvalidArgument.class, "SR_SINK_E_INVALID_ARGUMENT",
            () -> batch.add(Op.UPSERT, scratch, bad[0], bad[1]));
        assertContains(e.message(), "outside the array of 256");
      }
      expect(SinkException.InvalidArgument.class, "SR_SINK_E_INVALID_ARGUMENT", () -> batch.add(Op.UPSERT, null, 0, 0));
    }
  }

  @Test
  void cancelInterruptsABlockedCallFromAnotherThread() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    Sink s = c.open("shop.orders", ORDERS);
    long fault = emu.fault("{\"point\":\"be_stream_load\",\"action\":\"hang\",\"times\":-1}");
    s.upsert(R1);
    CompletableFuture<Throwable> done = CompletableFuture.supplyAsync(() -> {
      try {
        s.onWatermark(1);
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    while (emu.faultHits(fault) < 1) Thread.sleep(10); // polls the emulator: the load is hanging now
    s.stats(); // does not wait for the blocked call
    s.cancel();
    Throwable t = done.get(30, TimeUnit.SECONDS);
    assertInstanceOf(SinkException.Cancelled.class, t);
    try {
      s.close();
    } catch (SinkException ignored) {
      // may report the abandoned load; the sink is freed either way
    }
    assertTrue(s.isClosed());
    s.cancel();
    assertEquals(List.of(), emu.dump("shop.orders"));
  }

  private static long nativeThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sr-sink-native")).count();
  }

  @Test
  void libraryThreadsAreDetachedFromTheJvmWhenTheyExit() throws Exception {
    Emulator emu = emu();
    long before = nativeThreads();
    AtomicLong fromLibraryThreads = new AtomicLong();
    Thread me = Thread.currentThread();
    try (Connector c = Connector.builder().logLevel(LogLevel.DEBUG).logHandler((l, m) -> {
      if (Thread.currentThread() != me) fromLibraryThreads.incrementAndGet();
    }).build()) {
      c.addSink("shop.*", opts(emu), ROOT);
      for (int i = 0; i < 5; i++) {
        try (Sink s = c.open("shop.orders", ORDERS)) {
          s.upsert(Scenario.row(i, "n" + i, "1.00"));
          s.onWatermark(1);
        }
      }
      assertTrue(fromLibraryThreads.get() > 0, "no callback came from a library thread");
    }
    // Every library thread has been joined: none may stay attached as a Java thread.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (nativeThreads() > before && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(before, nativeThreads(), "library threads still attached to the JVM");
  }

  @Test
  void callsOnOneSinkFromTwoThreadsAreSerialized() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Sink s = c.open("shop.orders", ORDERS)) {
      Thread[] threads = new Thread[2];
      for (int t = 0; t < 2; t++) {
        final int base = t * 1000;
        threads[t] = new Thread(() -> {
          try {
            for (int i = 1; i <= 100; i++) {
              s.upsert(Scenario.row(base + i, "t" + base, "1.00"));
              if (i % 25 == 0) s.onWatermark(base + i);
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        threads[t].start();
      }
      for (Thread t : threads) t.join();
      s.onWatermark(5000);
    }
    assertTrue(errors.isEmpty(), errors.toString());
    assertEquals(200, emu.dump("shop.orders").size());
  }

  @Test
  void aCallbackThatCallsBackIntoTheLibraryGetsAStateError() throws Exception {
    Emulator emu = emu();
    AtomicReference<Sink> sink = new AtomicReference<>();
    List<Throwable> seen = new ArrayList<>();
    try (Connector c = Connector.create()) {
      c.addSink("shop.*", opts(emu), (table, after) -> {
        Sink s = sink.get();
        if (s != null) {
          try {
            s.onWatermark(99); // on the calling thread this would re-enter the library
          } catch (Throwable t) {
            synchronized (seen) {
              seen.add(t);
            }
          }
        }
        return Credentials.of("root", "");
      });
      try (Sink s = c.open("shop.orders", ORDERS)) {
        sink.set(s);
        s.upsert(R1);
        s.onWatermark(1);
      }
    }
    assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));
    synchronized (seen) {
      assertFalse(seen.isEmpty(), "the provider never ran with the sink open");
      for (Throwable t : seen) {
        assertInstanceOf(SinkException.State.class, t);
        assertContains(t.getMessage(), "callback");
      }
    }
  }

  @Test
  void aLibraryWithoutTheAbi11SlotsGivesNotSupported() throws Exception {
    Emulator emu = emu();
    Library old = Library.load(TestSupport.libraryFile(), Library.BINDING_ABI_VERSION, NativeBridge.vtableSize10());
    try (Connector c = Connector.builder().library(old).build()) {
      expect(SinkException.NotSupported.class, "SR_SINK_E_NOT_SUPPORTED",
          () -> c.register("shop.*", opts(emu), ROOT, r -> { }));
      expect(SinkException.NotSupported.class, "SR_SINK_E_NOT_SUPPORTED", () -> c.commitToken(new byte[] {'{', '}'}));
      SinkException e = expect(SinkException.NotSupported.class, "SR_SINK_E_NOT_SUPPORTED",
          () -> Tokens.inspect(old, new byte[] {'{', '}'}));
      assertContains(e.message(), "sr_sink_token_inspect");
      c.addSink("shop.*", opts(emu), ROOT); // the 1.0 functions work
      try (Sink s = c.open("shop.orders", ORDERS)) {
        s.upsert(R1);
        s.onWatermark(1);
        assertEquals(0, s.stats().rowsRejected);
      }
    }
    assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));
  }

  @Test
  void libraryLinesGoToSlf4jByDefault() throws Exception {
    Emulator emu = emu();
    String name = "test.slf4j." + System.nanoTime();
    try (Connector c = Connector.builder().loggerName(name).build()) { // the test binding enables DEBUG
      c.addSink("shop.*", opts(emu), ROOT);
      try (Sink s = c.open("shop.orders", ORDERS)) {
        s.upsert(R1);
        s.onWatermark(1);
      }
    }
    List<SubstituteLoggingEvent> mine = new ArrayList<>();
    for (SubstituteLoggingEvent e : RecordingLoggers.EVENTS) {
      if (name.equals(e.getLoggerName())) mine.add(e);
    }
    assertFalse(mine.isEmpty(), "no line reached SLF4J");
    assertTrue(mine.stream().anyMatch(e -> e.getLevel() == Level.DEBUG), "DEBUG lines are delivered when enabled");
    assertTrue(mine.stream().anyMatch(e -> e.getLevel() == Level.INFO), "INFO lines are delivered");
    assertTrue(mine.stream().anyMatch(e -> !e.getThreadName().equals(Thread.currentThread().getName())),
        "lines from library threads");
    assertNotSame(null, mine.get(0).getMessage());
  }
}
