package io.github.srsink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which libsr_sink the default Library is: -Dsrsink.library, then SR_SINK_LIBRARY, then the jar's. */
class LoaderTest {

  private static String probe(String env, String property) throws Exception {
    List<String> args = new ArrayList<>(List.of(TestSupport.javaExecutable().toString(), "-cp", TestSupport.classPath()));
    if (property != null) args.add("-Dsrsink.library=" + property);
    args.add(LoaderProbe.class.getName());
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
    if (env == null) {
      pb.environment().remove("SR_SINK_LIBRARY");
    } else {
      pb.environment().put("SR_SINK_LIBRARY", env);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironment() throws Exception {
    Path real = TestSupport.libraryFile().toAbsolutePath();
    String out = probe("/nonexistent/libsr_sink.so.1", real.toString());
    assertEquals("loaded " + real + " abi 1." + (Library.BINDING_ABI_VERSION & 0xffff), out);
  }

  @Test
  void theEnvironmentNamesTheLibrary() throws Exception {
    String out = probe("/nonexistent/libsr_sink.so.1", null);
    assertTrue(out.startsWith("failed java.lang.UnsatisfiedLinkError"), out);
    assertTrue(out.contains("SR_SINK_LIBRARY") && out.contains("/nonexistent/libsr_sink.so.1"), out);
  }

  @Test
  void withoutEitherTheJarsCopyIsExtractedAndLeavesNothingBehind() throws Exception {
    Path tmpBefore = Path.of(System.getProperty("java.io.tmpdir"));
    long before = countExtractDirs(tmpBefore);
    String out = probe(null, null);
    assertTrue(out.startsWith("loaded jar:") || out.startsWith("loaded file:"), out);
    assertTrue(out.endsWith("/io/github/srsink/native/linux-x86_64/libsr_sink.so.1 abi 1."
        + (Library.BINDING_ABI_VERSION & 0xffff)), out);
    assertEquals(before, countExtractDirs(tmpBefore), "an extraction directory was left behind");
  }

  private static long countExtractDirs(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("sr-sink-java-")).count();
    }
  }

  @Test
  void aLibraryOfAnotherAbiMajorCannotMakeAConnector() {
    SinkException e = org.junit.jupiter.api.Assertions.assertThrows(SinkException.Version.class,
        () -> Library.load(TestSupport.libraryFile(), 2 << 16));
    assertTrue(e.message().contains("major 1") && e.message().contains("major 2"), e.message());
  }
}
