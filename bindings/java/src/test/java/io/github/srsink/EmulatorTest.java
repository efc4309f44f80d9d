package io.github.srsink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Base of the scenario tests: a fresh sr-emulator per test, stopped afterwards. */
abstract class EmulatorTest {
  @TempDir Path tmp;
  private final List<Emulator> started = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  Emulator emu(String... extra) throws Exception {
    Emulator e = Emulator.start(tmp.resolve("emu" + started.size()), extra);
    started.add(e);
    return e;
  }

  /** Closed after the test, before the emulators stop (in reverse order). */
  <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception ignored) {
        // the test's own assertions matter, not the cleanup
      }
    }
    for (Emulator e : started) e.close();
  }

  /** A connector with add_sink("shop.*", OPTS(mode), root). */
  Connector connector(Emulator emu, String mode) {
    Connector c = closeLater(Connector.create());
    c.addSink("shop.*", Scenario.opts(emu, mode), Scenario.ROOT);
    return c;
  }

  static <T extends SinkException> T expect(Class<T> type, String codeName, Executable call) {
    T e = assertThrows(type, call);
    assertEquals(codeName, e.codeName(), e.getMessage());
    return e;
  }

  static void assertContains(String haystack, String needle) {
    assertTrue(haystack.contains(needle), () -> "\"" + needle + "\" not in: " + haystack);
  }

  static void assertContainsCi(String haystack, String needle) {
    assertTrue(haystack.toLowerCase().contains(needle.toLowerCase()), () -> "\"" + needle + "\" (ci) not in: " + haystack);
  }
}
