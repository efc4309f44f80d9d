package io.github.srsink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The host process of C09 and C18 (run in a child JVM, killed with SIGKILL on "ready"):
 * c09: writes R1,R2, checkpoint 1 (token stored durably), R3, checkpoint 2 (token never stored);
 * c18: writes R1,R2, checkpoint 1 (token stored durably).
 * Usage: ChildHost c09|c18 <emulator url> <token file>
 */
public final class ChildHost {
  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    Connector c = Connector.create();
    c.addSink("shop.*", Map.of("http_url", args[1], "execution_mode", "on_checkpoint", "label_prefix", "conf",
        "max_retries", 2, "retry_backoff_ms", 10), CredentialsProvider.of("root", ""));
    Sink sink = c.open("shop.orders", Scenario.ORDERS, "conf/" + scenario + "/0", null);
    sink.write(List.of(Scenario.R1, Scenario.R2));
    storeDurably(Paths.get(args[2]), sink.onCheckpoint(1));
    if (scenario.equals("c09")) {
      sink.write(List.of(Scenario.R3));
      sink.onCheckpoint(2); // prepared; checkpoint 2 never becomes durable
    }
    System.out.println("ready");
    System.out.flush();
    System.in.read(); // killed here, before any commit
  }

  static void storeDurably(Path path, byte[] data) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(data));
      ch.force(true);
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
  }
}
