package io.github.srsink.flink;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One sr-emulator per test class, with the given catalog, as a JUnit extension:
 * {@code @RegisterExtension static final Emulator emu = new Emulator(TestJobs.CATALOG);}.
 * The process is the Java binding's test fixture (io.github.srsink.Emulator, from its test-jar:
 * $SR_EMULATOR, else build/default/tools/sr-emulator/sr-emulator); this class adds the catalog and
 * data directory around it and reads the admin API with Jackson.
 */
final class Emulator implements BeforeAllCallback, AfterAllCallback {
  /** Decimals stay exact (the emulator writes DECIMAL values as JSON numbers). */
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final String catalogJson;
  private Path dir;
  private io.github.srsink.Emulator process;

  Emulator(String catalogJson) {
    this.catalogJson = catalogJson;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("sr-emulator-flink-");
    Path catalog = Files.writeString(dir.resolve("catalog.json"), catalogJson);
    process = io.github.srsink.Emulator.start(dir.resolve("data"), catalog);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (process != null) process.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** "127.0.0.1:port", as 'load-url' takes it. */
  String loadUrl() {
    return "127.0.0.1:" + process.fePort;
  }

  String admin(String method, String path, String body) throws Exception {
    return process.admin(method, path, body);
  }

  /** The table's rows (canonical JSON objects), sorted by key. */
  List<JsonNode> rows(String db, String table) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String l : admin("GET", "/_emulator/tables/" + db + "/" + table + "/rows", null).split("\n")) {
      if (!l.trim().isEmpty()) rows.add(JSON.readTree(l));
    }
    return rows;
  }

  JsonNode stats() throws Exception {
    return JSON.readTree(admin("GET", "/_emulator/stats", null));
  }

  /** The remembered labels of a database: label → its stats object. */
  Map<String, JsonNode> labels(String db) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    JsonNode l = stats().path("labels").path(db);
    for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }
}
