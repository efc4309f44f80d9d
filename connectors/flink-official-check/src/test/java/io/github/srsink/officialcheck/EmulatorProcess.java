package io.github.srsink.officialcheck;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real sr-emulator process ($SR_EMULATOR, else the default CMake build's binary) with its MySQL
 * protocol query port: started with --fe-port 0 --query-port 0 and a catalog file, ready once it
 * prints its ready line, stopped with SIGTERM.
 */
final class EmulatorProcess implements AutoCloseable {
  final int fePort;
  final int queryPort;
  private final Process process;

  private EmulatorProcess(Process process, int fePort, int queryPort) {
    this.process = process;
    this.fePort = fePort;
    this.queryPort = queryPort;
  }

  static EmulatorProcess start(Path catalog, String users) throws IOException {
    String binary = System.getenv("SR_EMULATOR");
    if (binary == null || binary.isEmpty()) {
      binary = new File(System.getProperty("user.dir"), "../../build/default/tools/sr-emulator/sr-emulator").getPath();
    }
    ProcessBuilder pb = new ProcessBuilder(binary, "--fe-port", "0", "--query-port", "0", "--catalog",
        catalog.toString(), "--users", users);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String ready = out.readLine();
    if (ready == null) {
      throw new IOException("sr-emulator (" + binary + ") exited without its ready line");
    }
    return new EmulatorProcess(p, field(ready, "fe_port"), field(ready, "query_port"));
  }

  private static int field(String readyLine, String name) throws IOException {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(readyLine);
    if (!m.find()) throw new IOException("no " + name + " in the ready line " + readyLine);
    return Integer.parseInt(m.group(1));
  }

  /** GET on the FE's admin API (no auth needed); the body as text. */
  String admin(String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + fePort + path).openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(30000);
    try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static Path writeCatalog(Path dir, String json) throws IOException {
    return Files.writeString(dir.resolve("catalog.json"), json);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();  // SIGTERM: the emulator closes its ports and exits
    if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
