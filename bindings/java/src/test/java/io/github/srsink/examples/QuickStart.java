package io.github.srsink.examples;

import io.github.srsink.Batch;
import io.github.srsink.Connector;
import io.github.srsink.Credentials;
import io.github.srsink.Sink;
import io.github.srsink.SinkException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/** Exactly-once upserts and deletes into shop.orders. Usage: QuickStart [FE URL] [state dir] */
public final class QuickStart {
  public static void main(String[] args) throws Exception {
    String feUrl = args.length > 0 ? args[0] : "http://127.0.0.1:8030";
    Path tokenFile = Paths.get(args.length > 1 ? args[1] : ".").resolve("checkpoint.token");

    // 1. A connector; library log lines go to SLF4J (logger "io.github.srsink.native").
    try (Connector connector = Connector.create()) {
      // 2. Tables matching the glob use these options. The credentials provider runs before
      //    every request, on library threads, so a rotated password is picked up.
      connector.addSink("shop.*", Map.of("http_url", feUrl, "execution_mode", "on_checkpoint"),
          (table, afterAuthFailure) -> Credentials.of("root", System.getenv().getOrDefault("SR_PASSWORD", "")));

      // 3. Open a sink. After a restart, pass the token of the last durable checkpoint: open
      //    commits what it names and rolls back anything later.
      byte[] restore = Files.exists(tokenFile) ? Files.readAllBytes(tokenFile) : null;
      try (Sink sink = connector.open("shop.orders", List.of("id", "name", "amount"), "job1/orders/0", restore)) {
        // 4. A whole batch crosses into the library in one call. Send decimals as strings.
        sink.write(new Batch()
            .upsert(Map.of("id", 1, "name", "alice", "amount", "10.50"))
            .upsert("{\"id\":2,\"name\":\"bob\",\"amount\":\"20.00\"}")
            .delete(Map.of("id", 2)));

        // 5. Checkpoint: prepare, store the token durably with the checkpoint, then commit.
        long checkpointId = System.currentTimeMillis(); // keeps increasing across restarts
        byte[] token = sink.onCheckpoint(checkpointId);
        storeDurably(tokenFile, token);
        sink.commit(checkpointId); // visible in StarRocks now
        System.out.println("checkpoint " + checkpointId + ": " + sink.stats().rowsLoaded + " rows loaded");
      } catch (SinkException e) {
        // e.codeName(), e.retryable(), e.fatal(), e.data(), e.label(), e.httpStatus()
        System.err.println(e.getMessage());
        throw e;
      }
    } // 6. close: rows written after the last checkpoint are not loaded; replay them
  }

  static void storeDurably(Path file, byte[] data) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(data));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
