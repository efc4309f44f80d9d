package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The shaded jar (after `package`) is the one file for Flink's lib/: the connector, the Java binding
 * with its native libraries, and the table factory's service entry; no Flink classes.
 */
class ShadedJarIT {
  @Test
  void theShadedJarHoldsTheConnectorTheBindingAndTheNativeLibrary() throws Exception {
    Path jar = Paths.get(System.getProperty("srsink.shaded.jar", ""));
    assertTrue(Files.isRegularFile(jar), "shaded jar " + jar);
    try (JarFile j = new JarFile(jar.toFile())) {
      assertNotNull(j.getEntry("io/github/srsink/flink/StarRocksSink.class"));
      assertNotNull(j.getEntry("io/github/srsink/flink/table/StarRocksDynamicTableSinkFactory.class"));
      assertNotNull(j.getEntry("io/github/srsink/Connector.class"));
      assertNotNull(j.getEntry("io/github/srsink/native/linux-x86_64/libsr_sink.so.1"));
      assertNotNull(j.getEntry("io/github/srsink/native/linux-x86_64/libsr_sink_jni.so"));
      JarEntry services = j.getJarEntry("META-INF/services/org.apache.flink.table.factories.Factory");
      assertNotNull(services);
      try (InputStream in = j.getInputStream(services)) {
        assertEquals("io.github.srsink.flink.table.StarRocksDynamicTableSinkFactory",
            new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
      }
      for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        assertTrue(!name.startsWith("org/apache/flink/") && !name.startsWith("org/slf4j/"), "not shaded in: " + name);
      }
    }
  }
}
