package io.github.srsink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Runs after `package` (Failsafe): the built jar alone — no SR_SINK_LIBRARY, no LD_LIBRARY_PATH,
 * no SLF4J, no libsr_sink the dynamic linker could find — in a fresh JVM that runs the quick
 * start (java's source-file mode, class path = the jar) against an emulator and writes rows.
 */
class JarAloneIT extends EmulatorTest {
  /** The Java quick start: examples/java/QuickStart.java (ctest example_java_quickstart runs it twice). */
  static final Path EXAMPLE = Path.of(System.getProperty("srsink.test.sources", "."))
      .resolve("../../examples/java/QuickStart.java").normalize();

  @Test
  void theJarAloneLoadsItsBundledLibrariesAndWrites() throws Exception {
    Path jar = Path.of(System.getProperty("srsink.jar"));
    try (JarFile jf = new JarFile(jar.toFile())) {
      for (String f : List.of("libsr_sink.so.1", "libsr_sink_jni.so")) {
        assertNotNull(jf.getEntry("io/github/srsink/native/linux-x86_64/" + f), jar + " lacks " + f);
      }
    }
    assertFalse(ldconfigKnowsLibsrSink(), "a system libsr_sink.so.1 is installed: this test needs a machine without one");

    Emulator emu = emu();
    Path state = Files.createDirectories(tmp.resolve("state")).resolve("quickstart.state");
    // A copy away from any source tree: since JDK 22 the source launcher compiles sibling
    // sources of the same source root too, which would shadow the jar's classes.
    Path example = Files.copy(EXAMPLE, Files.createDirectories(tmp.resolve("src")).resolve("QuickStart.java"));
    ProcessBuilder pb = new ProcessBuilder(TestSupport.javaExecutable().toString(), "-cp", jar.toString(),
        example.toString(), state.toString());
    Map<String, String> env = pb.environment();
    env.remove("SR_SINK_LIBRARY");
    env.remove("LD_LIBRARY_PATH");
    // LD_PRELOAD stays: a sanitizer build's jar needs its runtime (ctest sets it only then).
    env.remove("JAVA_TOOL_OPTIONS");
    env.put("SR_URL", emu.url);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("checkpoint 1 committed"), out);
    assertEquals(List.of("{\"id\":1,\"name\":\"a\",\"amount\":1.50}", "{\"id\":2,\"name\":\"b\",\"amount\":2.00}"),
        emu.dump("shop.orders"));
  }

  private static boolean ldconfigKnowsLibsrSink() throws IOException, InterruptedException {
    for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
      if (!Files.isExecutable(Path.of(ldconfig))) continue;
      Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.contains("libsr_sink.so.1");
    }
    return false;
  }
}
