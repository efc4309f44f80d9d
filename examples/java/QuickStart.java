// Quick start: load rows exactly once into shop.orders (a Primary Key table), surviving restarts.
// Build and run (Java 11+, source-file mode; the jar carries libsr_sink):
//   SR_URL=http://fe:8030 SR_USER=loader SR_PASSWORD=... \
//     java -cp sr-sink-java-1.2.0.jar QuickStart.java quickstart.state
// Every run restores the token stored by the last one, writes three rows and commits them.
import io.github.srsink.Batch;
import io.github.srsink.Connector;
import io.github.srsink.Credentials;
import io.github.srsink.Sink;
import io.github.srsink.SinkException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

public final class QuickStart {
  public static void main(String[] args) throws Exception {
    String url = System.getenv("SR_URL");
    Path state = Path.of(args.length > 0 ? args[0] : "quickstart.state");
    if (url == null) {
      System.err.println("set SR_URL to the FE, e.g. http://127.0.0.1:8030");
      System.exit(2);
    }
    // The state file holds "<checkpoint id>\n<token bytes>"; none on the first run.
    long ckpt = 0;
    byte[] token = null;
    try {
      byte[] s = Files.readAllBytes(state);
      int nl = 0;
      while (nl < s.length && s[nl] != '\n') nl++;
      ckpt = Long.parseLong(new String(s, 0, nl, StandardCharsets.US_ASCII));
      token = nl + 1 < s.length ? Arrays.copyOfRange(s, nl + 1, s.length) : null;
    } catch (NoSuchFileException first) {
      // a fresh start
    }
    try (Connector connector = Connector.create()) {
      // The credentials provider runs before every request (a rotated password is picked up).
      connector.addSink("shop.*", Map.of("http_url", url, "execution_mode", "on_checkpoint"),
          (table, afterAuthFailure) -> Credentials.of(
              System.getenv().getOrDefault("SR_USER", "root"), System.getenv().getOrDefault("SR_PASSWORD", "")));
      // open commits what the token names and rolls back the rest
      try (Sink sink = connector.open("shop.orders", List.of("id", "name", "amount"),
          "examples/java-quickstart/0", token)) {
        sink.write(new Batch()
            .upsert(Map.of("id", 2 * ckpt + 1, "name", "a", "amount", "1.50"))
            .upsert(Map.of("id", 2 * ckpt + 2, "name", "b", "amount", "2.00"))
            .delete(Map.of("id", 0)));
        byte[] prepared = sink.onCheckpoint(ckpt + 1); // prepared, not yet visible
        try {
          storeDurably(state, ckpt + 1, prepared);
        } catch (IOException e) {
          System.err.println("cannot store " + state + " (" + e + "); the next run rolls checkpoint "
              + (ckpt + 1) + " back");
          System.exit(1);
        }
        sink.commit(ckpt + 1); // durable at the host: now visible
        System.out.println("checkpoint " + (ckpt + 1) + " committed");
      }
    } catch (SinkException e) {
      System.err.println("load: " + e.getMessage()); // names the status, e.g. SR_SINK_E_RECOVERY: ...
      System.exit(1);
    }
  }

  /** Durably: write a temporary file, fsync it, rename it over the old state. */
  static void storeDurably(Path file, long ckpt, byte[] token) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((ckpt + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.write(ByteBuffer.wrap(token));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
