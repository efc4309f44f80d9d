package io.github.srsink;

import static io.github.srsink.Scenario.ORDERS;
import static io.github.srsink.Scenario.ROOT;
import static io.github.srsink.Scenario.opts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SCENARIOS.md C01–C05: versions, ABI refusal, options, routes, schema errors. */
class C01toC05Test extends EmulatorTest {

  @Test
  void c01_versionAndNames() throws Exception {
    Library lib = Library.get();
    assertEquals(1, lib.abiMajor());
    assertEquals(1, Library.BINDING_ABI_VERSION >>> 16);
    assertTrue(lib.version().matches("^\\d+\\.\\d+\\.\\d+.*"), lib.version());
    assertEquals("SR_SINK_OK", lib.statusName(0));
    assertEquals("SR_SINK_E_CONFIG", lib.statusName(2));
    assertEquals("SR_SINK_E_NO_ROUTE", lib.statusName(3));
    assertEquals("SR_SINK_E_INTERNAL", lib.statusName(18));
    assertEquals("SR_SINK_E_UNKNOWN", lib.statusName(999));
    for (Status s : Status.values()) assertEquals(s.codeName(), lib.statusName(s.code()), s.name());
    assertFalse(lib.buildInfo().isEmpty());
    // The process runs exactly the library SR_SINK_LIBRARY names (ctest: the build's).
    String want = System.getenv("SR_SINK_LIBRARY");
    if (want != null && !want.isEmpty()) {
      Path real = Paths.get(want).toRealPath();
      boolean found = Files.readAllLines(Paths.get("/proc/self/maps")).stream()
          .anyMatch(l -> l.endsWith(" " + real));
      assertTrue(found, "libsr_sink is not mapped from " + real);
    }
  }

  @Test
  void c02_libraryRefusesAnotherMajor() {
    assertEquals(Status.VERSION.code(), Library.get().rawGetVtable(2 << 16));
  }

  @Test
  void c02_bindingRefusesALibraryOfAnotherMajor() {
    final Path p = TestSupport.libraryFile();
    // The binding negotiating as an ABI 2 host against this (major 1) library.
    SinkException.Version e = expect(SinkException.Version.class, "SR_SINK_E_VERSION", () -> Library.load(p, 2 << 16));
    assertContains(e.message(), "1");
    assertContains(e.message(), "2");
    assertContainsCi(e.message(), "major");
    // And the check itself, seeing a library that reports major 2: no connector can be made from it.
    SinkException.Version v = assertThrows(SinkException.Version.class,
        () -> Library.checkAbiVersion((2 << 16) | 3, Library.BINDING_ABI_VERSION, "/x/libsr_sink.so.2"));
    assertTrue(v.message().matches("(?i).*major 2.*major 1.*"), v.message());
  }

  @Test
  void c03_badOptionsNameTheKey() throws Exception {
    Emulator emu = emu();
    Object[][] cases = {
        {opts(emu, "on_watermark", "batch_max_rows", -1), "batch_max_rows"},
        {opts(emu, "on_watermark", "http_urls", "x"), "http_urls"},
        {Map.of("execution_mode", "on_watermark"), "http_url"},
        {opts(emu, "sometimes"), "execution_mode"},
    };
    try (Connector c = Connector.create()) {
      for (Object[] tc : cases) {
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) tc[0];
        SinkException.Config e = expect(SinkException.Config.class, "SR_SINK_E_CONFIG",
            () -> c.addSink("shop.*", options, ROOT));
        assertEquals(2, e.code());
        assertContains(e.message(), (String) tc[1]);
      }
      expect(SinkException.Config.class, "SR_SINK_E_CONFIG", () -> c.addSink("shop.*", "not json", ROOT));
      expect(SinkException.NoRoute.class, "SR_SINK_E_NO_ROUTE", () -> c.open("shop.orders", ORDERS));
    }
  }

  @Test
  void c04_unmatchedTableIsANoRouteError() throws Exception {
    Emulator emu = emu();
    try (Connector c = Connector.create()) {
      c.addSink("shop.*", opts(emu), ROOT);
      SinkException e = expect(SinkException.NoRoute.class, "SR_SINK_E_NO_ROUTE", () -> c.open("other.t", List.of("id")));
      assertContains(e.message(), "other.t");
    }
  }

  @Test
  void c04_firstMatchingGlobWins() throws Exception {
    Emulator emu = emu();
    try (Connector c = Connector.create()) {
      c.addSink("shop.orders", opts(emu), ROOT);
      c.addSink("*", opts(emu, "on_watermark", "http_url", "http://127.0.0.1:1"), ROOT);
      try (Sink s = c.open("shop.orders", ORDERS)) {
        assertFalse(s.isClosed());
      }
    }
  }

  @Test
  void c05_schemaErrorsAtOpen() throws Exception {
    Emulator emu = emu();
    try (Connector c = Connector.create()) {
      c.addSink("shop.*", opts(emu), ROOT);
      SinkException e = expect(SinkException.Schema.class, "SR_SINK_E_SCHEMA", () -> c.open("shop.events", List.of("id", "payload")));
      assertContains(e.message(), "shop.events");
      assertContainsCi(e.message(), "primary key");
      e = expect(SinkException.Schema.class, "SR_SINK_E_SCHEMA", () -> c.open("shop.missing", List.of("id")));
      assertContains(e.message(), "shop.missing");
      e = expect(SinkException.Schema.class, "SR_SINK_E_SCHEMA", () -> c.open("shop.orders", List.of("id", "name", "nosuch")));
      assertContains(e.message(), "nosuch");
      e = expect(SinkException.Schema.class, "SR_SINK_E_SCHEMA", () -> c.open("shop.orders", List.of("name", "amount")));
      assertTrue(e.message().matches("(?s).*\\bid\\b.*"), e.message());
    }
  }
}
