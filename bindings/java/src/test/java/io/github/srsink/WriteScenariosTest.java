package io.github.srsink;

import static io.github.srsink.Scenario.BAD_JSON;
import static io.github.srsink.Scenario.CUSTOMERS;
import static io.github.srsink.Scenario.D1;
import static io.github.srsink.Scenario.D1_JSON;
import static io.github.srsink.Scenario.ORDERS;
import static io.github.srsink.Scenario.R1;
import static io.github.srsink.Scenario.R1_DUMP;
import static io.github.srsink.Scenario.R1_JSON;
import static io.github.srsink.Scenario.R2;
import static io.github.srsink.Scenario.R2B_DUMP;
import static io.github.srsink.Scenario.R2B_JSON;
import static io.github.srsink.Scenario.R2_DUMP;
import static io.github.srsink.Scenario.R3;
import static io.github.srsink.Scenario.R3_DUMP;
import static io.github.srsink.Scenario.R3_JSON;
import static io.github.srsink.Scenario.ROOT;
import static io.github.srsink.Scenario.opts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** SCENARIOS.md C06, C07, C13–C16, C19, C20: rows in, dumps and stats out. */
class WriteScenariosTest extends EmulatorTest {

  @Test
  void c06_upsertsAndDeletesLand() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    try (Sink s = c.open("shop.orders", ORDERS)) {
      s.write(List.of(R1, R2, R3));
      s.onWatermark(1);
      assertEquals(List.of(R1_DUMP, R2_DUMP, R3_DUMP), emu.dump("shop.orders"));
      s.write(List.of(R2B_JSON.getBytes(StandardCharsets.UTF_8), D1_JSON), List.of(Op.UPSERT, Op.DELETE));
      s.onWatermark(2);
    }
    assertEquals(List.of(R2B_DUMP, R3_DUMP), emu.dump("shop.orders"));

    try (Sink s = c.open("shop.customers", CUSTOMERS)) {
      s.write(List.of(customer("eu", 1, "x", true), customer("us", 1, "y", false)));
      s.delete(Map.of("region", "eu", "id", 1));
      s.onWatermark(3);
    }
    assertEquals(List.of("{\"region\":\"us\",\"id\":1,\"name\":\"y\",\"vip\":false}"), emu.dump("shop.customers"));
  }

  static Map<String, Object> customer(String region, int id, String name, boolean vip) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("region", region);
    m.put("id", id);
    m.put("name", name);
    m.put("vip", vip);
    return m;
  }

  @Test
  void c07_onWatermarkVisibility() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    try (Sink s = c.open("shop.orders", ORDERS)) {
      s.write(List.of(R1));
      assertEquals(List.of(), emu.dump("shop.orders"));
      s.onWatermark(10);
      assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));

      long loads = emu.tableLoads("shop.orders");
      s.onWatermark(11);
      assertEquals(loads, emu.tableLoads("shop.orders"));

      Map<String, Map<String, Object>> labels = emu.labels("stream_load");
      assertFalse(labels.isEmpty(), "no stream load label recorded");
      labels.forEach((name, info) -> {
        assertTrue(name.startsWith("conf-"), name);
        assertEquals("VISIBLE", info.get("state"), name);
        assertEquals(1L, info.get("commits"), name);
      });

      SinkStats st = s.stats();
      assertEquals(1, st.rowsWritten);
      assertTrue(st.loads >= 1, st.toString());
      assertEquals(1, st.rowsLoaded);
    }
  }

  @Test
  void c13_malformedRowsNameTheRowAndNothingIsTaken() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    try (Sink s = c.open("shop.orders", ORDERS)) {
      SinkException e = expect(SinkException.Data.class, "SR_SINK_E_DATA", () -> s.write(List.of(R1_JSON, "[1,2]", R3_JSON)));
      assertTrue(e.message().matches("(?is).*row\\D{0,3}1\\b.*"), e.message());
      assertTrue(e.data());
      e = expect(SinkException.Data.class, "SR_SINK_E_DATA", () -> s.write(List.of(Map.of("id", 4, "__op", 0))));
      assertContains(e.message(), "__op");
      s.write(List.of(R2));
      s.onWatermark(1);
    }
    assertEquals(List.of(R2_DUMP), emu.dump("shop.orders"));
  }

  @Test
  void c14_rejectedLoadCarriesTheLabel() throws Exception {
    Emulator emu = emu();
    try (Connector c = Connector.create()) {
      c.addSink("shop.*", opts(emu, "on_watermark", "properties", Map.of("strict_mode", "true")), ROOT);
      try (Sink s = c.open("shop.orders", ORDERS)) {
        s.write(List.of(BAD_JSON));
        SinkException e = org.junit.jupiter.api.Assertions.assertThrows(SinkException.class, () -> s.onWatermark(1));
        assertTrue(e.codeName().equals("SR_SINK_E_DATA") || e.codeName().equals("SR_SINK_E_LOAD"), e.getMessage());
        assertFalse(e.retryable());
        assertTrue(e.label().startsWith("conf-"), e.getMessage());
        assertFalse(e.message().isEmpty());
      }
    }
    assertEquals(List.of(), emu.dump("shop.orders"));
  }

  @Test
  void c15_sinkStatistics() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    SinkStats st;
    try (Sink s = c.open("shop.orders", ORDERS)) {
      s.write(List.of(R1, R2, R3));
      s.delete(D1);
      s.onWatermark(1);
      st = s.stats();
    }
    assertEquals(4, st.rowsWritten);
    assertEquals(1, st.rowsDeleted);
    assertTrue(st.bytesWritten > 0);
    assertTrue(st.loads >= 1);
    assertEquals(4, st.rowsLoaded);
    assertEquals(0, st.bufferedBytes);
  }

  @Test
  void c16_concurrentSinksOnHostThreads() throws Exception {
    Emulator emu = emu();
    AtomicLong lines = new AtomicLong();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    try (Connector c = Connector.builder().logHandler((l, m) -> lines.incrementAndGet()).logLevel(LogLevel.INFO).build()) {
      c.addSink("shop.*", opts(emu), ROOT);
      Thread a = new Thread(() -> run(c, "shop.orders", ORDERS, i -> Scenario.row(i, "a" + i, "1.00"), errors));
      Thread b = new Thread(() -> run(c, "shop.customers", CUSTOMERS, i -> customer("eu", i, "b" + i, false), errors));
      a.start();
      b.start();
      a.join();
      b.join();
    }
    assertTrue(errors.isEmpty(), errors.toString());
    List<String> orders = emu.dump("shop.orders");
    List<String> customers = emu.dump("shop.customers");
    assertEquals(200, orders.size());
    assertEquals(200, customers.size());
    assertEquals("{\"id\":1,\"name\":\"a1\",\"amount\":1.00}", orders.get(0));
    assertEquals("{\"region\":\"eu\",\"id\":200,\"name\":\"b200\",\"vip\":false}", customers.get(199));
  }

  interface RowMaker {
    Map<String, Object> make(int i);
  }

  private static void run(Connector c, String table, List<String> columns, RowMaker make, List<Throwable> errors) {
    try (Sink s = c.open(table, columns)) {
      for (int b = 0; b < 4; b++) {
        Batch batch = new Batch();
        for (int i = 1 + 50 * b; i <= 50 + 50 * b; i++) batch.upsert(make.make(i));
        s.write(batch);
      }
      s.onWatermark(1);
    } catch (Throwable t) {
      errors.add(t);
    }
  }

  @Test
  void c19_closeWithRowsNotLoadedSaysSo() throws Exception {
    Emulator emu = emu();
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    try (Connector c = Connector.builder().logLevel(LogLevel.INFO)
        .logHandler((level, m) -> {
          if (level == LogLevel.WARN) warnings.add(m);
        }).build()) {
      c.addSink("shop.*", opts(emu), ROOT);
      Sink s = c.open("shop.orders", ORDERS);
      s.write(List.of(R1, R2));
      s.close();
    }
    assertTrue(warnings.stream().anyMatch(w -> w.contains("2 rows") && TestSupport.containsCi(w, "not loaded")),
        warnings.toString());
    assertEquals(List.of(), emu.dump("shop.orders"));
  }

  @Test
  void c20_keyColumnsCheckedAtWrite() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    try (Sink s = c.open("shop.orders", ORDERS)) {
      SinkException e = expect(SinkException.Data.class, "SR_SINK_E_DATA",
          () -> s.write(List.of(R1_JSON, "{\"id\":4,\"nmae\":\"x\"}")));
      assertTrue(e.data());
      assertContains(e.message(), "nmae");
      assertContains(e.message(), "1");
      e = expect(SinkException.Data.class, "SR_SINK_E_DATA", () -> s.write(List.of("{\"name\":\"x\",\"amount\":\"1.00\"}")));
      assertTrue(e.data());
      assertContains(e.message(), "id");
      assertContainsCi(e.message(), "missing");
      e = expect(SinkException.Data.class, "SR_SINK_E_DATA", () -> s.write(List.of("{\"id\":null,\"name\":\"x\"}")));
      assertTrue(e.data());
      assertContains(e.message(), "id");
      assertContainsCi(e.message(), "null");
      s.write(List.of(R3));
      s.onWatermark(1);
    }
    assertEquals(List.of(R3_DUMP), emu.dump("shop.orders"));
  }
}
