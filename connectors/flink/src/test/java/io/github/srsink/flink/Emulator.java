package io.github.srsink.flink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real sr-emulator process on 127.0.0.1 with OS-chosen ports (tests/conformance/SCENARIOS.md,
 * "Fixture"): $SR_EMULATOR, else build/default/tools/sr-emulator/sr-emulator.
 */
final class Emulator implements AutoCloseable {
  static final Path REPO = Paths.get(System.getProperty("srsink.test.sources", ".")).toAbsolutePath().resolve("../..").normalize();
  /** Decimals stay exact (the emulator writes DECIMAL values as JSON numbers). */
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private final Process process;
  final int fePort;
  final String url;
  private final Path stderr;

  private Emulator(Process process, int fePort, Path stderr) {
    this.process = process;
    this.fePort = fePort;
    this.url = "http://127.0.0.1:" + fePort;
    this.stderr = stderr;
  }

  /** Starts an emulator whose catalog is the given JSON, with data under dir. */
  static Emulator start(Path dir, String catalogJson, String... extra) throws Exception {
    Files.createDirectories(dir);
    Path catalog = dir.resolve("catalog.json");
    Files.writeString(catalog, catalogJson);
    String env = System.getenv("SR_EMULATOR");
    Path exe = env != null && !env.isEmpty() ? Paths.get(env) : REPO.resolve("build/default/tools/sr-emulator/sr-emulator");
    if (!Files.isExecutable(exe)) throw new IllegalStateException("set SR_EMULATOR to the sr-emulator executable (" + exe + " is not one)");
    List<String> args = new ArrayList<>(List.of(exe.toString(), "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
        "--catalog", catalog.toString(), "--data-dir", dir.resolve("data").toString()));
    args.addAll(List.of(extra));
    Path err = dir.resolve("emulator.stderr");
    Process p = new ProcessBuilder(args).redirectError(err.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    try {
      line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          return null;
        }
      }).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("sr-emulator printed no ready line: " + Files.readString(err), e);
    }
    if (line == null) {
      p.waitFor();
      throw new IllegalStateException("sr-emulator exited with " + p.exitValue() + ": " + Files.readString(err));
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.read() >= 0) {
          // keep the pipe from filling up
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "emulator-stdout");
    drain.setDaemon(true);
    drain.start();
    return new Emulator(p, JSON.readTree(line).get("fe_port").asInt(), err);
  }

  /** "127.0.0.1:port", as 'load-url' takes it. */
  String loadUrl() {
    return "127.0.0.1:" + fePort;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  String admin(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    return r.body();
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
