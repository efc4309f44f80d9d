package io.github.srsink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Paths and processes the tests share. */
final class TestSupport {
  private TestSupport() {}

  /** The libsr_sink.so.1 under test: SR_SINK_LIBRARY, else the one the jar bundles. */
  static Path libraryFile() {
    String env = System.getenv("SR_SINK_LIBRARY");
    if (env != null && !env.isEmpty()) return Paths.get(env);
    Path p = Paths.get(System.getProperty("srsink.native.dir", "."), "libsr_sink.so.1");
    if (!Files.exists(p)) throw new IllegalStateException("set SR_SINK_LIBRARY (" + p + " does not exist)");
    return p;
  }

  /** The test class path as a child JVM needs it (Surefire may hand the JVM a manifest-only jar). */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
  }

  static Path javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java");
  }

  /** A child JVM running mainClass with the test class path and this JVM's environment. */
  static ProcessBuilder childJvm(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaExecutable().toString(), "-cp", classPath(),
        "-Dsrsink.native.dir=" + System.getProperty("srsink.native.dir", ""), mainClass));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  static boolean containsCi(String haystack, String needle) {
    return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
  }
}
