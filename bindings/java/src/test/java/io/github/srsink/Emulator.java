package io.github.srsink;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real sr-emulator process on 127.0.0.1 with OS-chosen ports (tests/conformance/SCENARIOS.md,
 * "Fixture"), and its admin API. Stopped with SIGTERM (SIGKILL after 10 s).
 * The public part (start with a catalog, url, admin, close) is also the Flink connector's
 * fixture: this module's test-jar carries this class and MiniJson (pom.xml, "test-fixtures").
 */
public final class Emulator implements AutoCloseable {
  static final Path REPO = Paths.get(System.getProperty("srsink.test.sources", ".")).toAbsolutePath().resolve("../..").normalize();
  private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(10)).build();

  final Process process;
  public final int fePort;
  public final String url;
  private final Path stderr;

  private Emulator(Process process, int fePort, Path stderr) {
    this.process = process;
    this.fePort = fePort;
    this.url = "http://127.0.0.1:" + fePort;
    this.stderr = stderr;
  }

  static Path executable() {
    String env = System.getenv("SR_EMULATOR");
    Path p = env != null && !env.isEmpty() ? Paths.get(env) : REPO.resolve("build/default/tools/sr-emulator/sr-emulator");
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException("set SR_EMULATOR to the sr-emulator executable (" + p + " is not one)");
    }
    return p;
  }

  static Path conformanceDir() {
    String env = System.getenv("SR_CONFORMANCE_DIR");
    return env != null && !env.isEmpty() ? Paths.get(env) : REPO.resolve("tests/conformance");
  }

  /** The conformance catalog (tests/conformance/catalog.json). */
  static Emulator start(Path dataDir, String... extra) throws Exception {
    return start(dataDir, conformanceDir().resolve("catalog.json"), extra);
  }

  /** Data under dataDir, its stderr beside it (dataDir + ".stderr"). */
  public static Emulator start(Path dataDir, Path catalog, String... extra) throws Exception {
    Files.createDirectories(dataDir);
    List<String> args = new ArrayList<>(Arrays.asList(executable().toString(), "--fe-port", "0", "--be-port", "0",
        "--bind", "127.0.0.1", "--catalog", catalog.toString(), "--data-dir", dataDir.toString()));
    args.addAll(Arrays.asList(extra));
    Path err = dataDir.resolveSibling(dataDir.getFileName() + ".stderr");
    Process p = new ProcessBuilder(args).redirectError(err.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    // The ready line is an event to wait for; the deadline only bounds a hang.
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
    Map<String, Object> ready = MiniJson.object(line);
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
    return new Emulator(p, ((Number) ready.get("fe_port")).intValue(), err);
  }

  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  // ---- admin API ------------------------------------------------------------------------------

  HttpResponse<String> request(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public String admin(String method, String path, String body) throws Exception {
    HttpResponse<String> r = request(method, path, body);
    if (r.statusCode() != 200) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    return r.body();
  }

  /** The table's rows, one canonical JSON line per row, sorted by key. */
  List<String> dump(String table) throws Exception {
    String[] dt = table.split("\\.", 2);
    String body = admin("GET", "/_emulator/tables/" + dt[0] + "/" + dt[1] + "/rows", null);
    List<String> lines = new ArrayList<>();
    for (String l : body.split("\n")) {
      if (!l.trim().isEmpty()) lines.add(l);
    }
    return lines;
  }

  Map<String, Object> stats() throws Exception {
    return MiniJson.object(admin("GET", "/_emulator/stats", null));
  }

  @SuppressWarnings("unchecked")
  long tableLoads(String table) throws Exception {
    Map<String, Object> t = (Map<String, Object>) ((Map<String, Object>) stats().get("tables")).get(table);
    return ((Number) t.get("loads")).longValue();
  }

  /** Labels of db "shop" (kind null: all kinds), in the emulator's order. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> labels(String kind) throws Exception {
    Map<String, Object> all = (Map<String, Object>) stats().get("labels");
    Map<String, Object> shop = all == null ? null : (Map<String, Object>) all.get("shop");
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    if (shop == null) return out;
    for (Map.Entry<String, Object> e : shop.entrySet()) {
      Map<String, Object> info = (Map<String, Object>) e.getValue();
      if (kind == null || kind.equals(info.get("kind"))) out.put(e.getKey(), info);
    }
    return out;
  }

  /** Transaction labels, optionally only those in state. */
  Map<String, Map<String, Object>> txnLabels(String state) throws Exception {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> e : labels("transaction").entrySet()) {
      if (state == null || state.equals(e.getValue().get("state"))) out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  void setUser(String user, String password) throws Exception {
    admin("POST", "/_emulator/users", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}");
  }

  long fault(String json) throws Exception {
    return ((Number) MiniJson.object(admin("POST", "/_emulator/faults", json)).get("id")).longValue();
  }

  @SuppressWarnings("unchecked")
  long faultHits(long id) throws Exception {
    for (Object f : (List<Object>) MiniJson.parse(admin("GET", "/_emulator/faults", null))) {
      Map<String, Object> m = (Map<String, Object>) f;
      if (((Number) m.get("id")).longValue() == id) return ((Number) m.get("hits")).longValue();
    }
    return -1;
  }
}
