package io.github.srsink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Finds and loads the native libraries, once per class loader (the zstd-jni / rocksdbjni way):
 * the jar's copies are extracted into a private temporary directory, loaded, and deleted at once
 * (Linux keeps a loaded file mapped), so nothing is left behind even when the JVM is killed, and
 * two class loaders (two Flink jobs) each get their own copy.
 *
 * <p>libsr_sink is taken from, in order: the system property {@code srsink.library}, the
 * environment variable {@code SR_SINK_LIBRARY}, the jar ({@code /io/github/srsink/native/<platform>/}),
 * then the dynamic linker's search for {@code libsr_sink.so.1}. The JNI glue comes from
 * {@code srsink.jni.library} if set, else the jar, else {@code java.library.path}.
 */
final class NativeLoader {
  static final String LIBRARY_PROPERTY = "srsink.library";
  static final String LIBRARY_ENV = "SR_SINK_LIBRARY";
  static final String JNI_PROPERTY = "srsink.jni.library";
  static final String TMPDIR_PROPERTY = "srsink.native.tmpdir";
  static final String SONAME = "libsr_sink.so.1";
  static final String JNI_FILE = "libsr_sink_jni.so";

  private static boolean glueLoaded;

  private NativeLoader() {}

  /** "linux-x86_64" here; the resource directory of this platform. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) os = "linux";
    if (arch.equals("amd64") || arch.equals("x86_64")) arch = "x86_64";
    if (arch.equals("aarch64") || arch.equals("arm64")) arch = "aarch64";
    return os + "-" + arch;
  }

  static String resource(String file) {
    return "/io/github/srsink/native/" + platform() + "/" + file;
  }

  /** Loads the JNI glue into this class loader, once. */
  static synchronized void loadGlue() {
    if (glueLoaded) return;
    String override = System.getProperty(JNI_PROPERTY);
    if (override != null && !override.isEmpty()) {
      System.load(Paths.get(override).toAbsolutePath().toString());
    } else if (NativeLoader.class.getResource(resource(JNI_FILE)) != null) {
      withExtracted(JNI_FILE, path -> {
        System.load(path.toString());
        return null;
      });
    } else {
      try {
        System.loadLibrary("sr_sink_jni");
      } catch (UnsatisfiedLinkError e) {
        throw new UnsatisfiedLinkError("sr-sink-java: this jar carries no JNI glue for " + platform()
            + " (" + resource(JNI_FILE) + ") and none is on java.library.path; set -D" + JNI_PROPERTY
            + "=/path/to/" + JNI_FILE + " (" + e.getMessage() + ")");
      }
    }
    glueLoaded = true;
  }

  /** The default libsr_sink, loaded through the glue with the binding's ABI version. */
  static Library loadDefaultLibrary() {
    loadGlue();
    String path = System.getProperty(LIBRARY_PROPERTY);
    String origin = "system property " + LIBRARY_PROPERTY;
    if (path == null || path.isEmpty()) {
      path = System.getenv(LIBRARY_ENV);
      origin = "environment variable " + LIBRARY_ENV;
    }
    if (path != null && !path.isEmpty()) {
      Path p = Paths.get(path).toAbsolutePath();
      if (!Files.exists(p)) {
        throw new UnsatisfiedLinkError("sr-sink-java: " + origin + " names " + p + ", which does not exist");
      }
      return Library.open(p.toString(), p.toString(), Library.BINDING_ABI_VERSION);
    }
    URL bundled = NativeLoader.class.getResource(resource(SONAME));
    if (bundled != null) {
      return withExtracted(SONAME, p -> Library.open(p.toString(), bundled.toString(), Library.BINDING_ABI_VERSION));
    }
    // A system-wide installation (Debian's libsr-sink1): the dynamic linker's search path.
    try {
      return Library.open(SONAME, SONAME + " (dynamic linker search)", Library.BINDING_ABI_VERSION);
    } catch (UnsatisfiedLinkError e) {
      throw new UnsatisfiedLinkError("sr-sink-java: no libsr_sink found: set -D" + LIBRARY_PROPERTY
          + " or " + LIBRARY_ENV + ", use a jar that carries " + resource(SONAME) + ", or install "
          + SONAME + " (" + e.getMessage() + ")");
    }
  }

  interface PathAction<T> {
    T apply(Path extracted);
  }

  /** Extracts one resource into a fresh private directory, runs action, then deletes both. */
  private static <T> T withExtracted(String file, PathAction<T> action) {
    Path dir = null;
    Path target = null;
    try {
      String base = System.getProperty(TMPDIR_PROPERTY);
      // createTempDirectory makes the directory rwx for the owner only (POSIX).
      dir = base == null || base.isEmpty()
          ? Files.createTempDirectory("sr-sink-java-")
          : Files.createTempDirectory(Paths.get(base), "sr-sink-java-");
      target = dir.resolve(file);
      try (InputStream in = NativeLoader.class.getResourceAsStream(resource(file))) {
        if (in == null) throw new UnsatisfiedLinkError("sr-sink-java: resource " + resource(file) + " vanished");
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return action.apply(target);
    } catch (IOException e) {
      throw new UnsatisfiedLinkError("sr-sink-java: cannot extract " + resource(file) + " into "
          + (dir != null ? dir : "a temporary directory") + " (set -D" + TMPDIR_PROPERTY
          + "=DIR to use another directory): " + e);
    } finally {
      try {
        if (target != null) Files.deleteIfExists(target);
        if (dir != null) Files.deleteIfExists(dir);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }
}
