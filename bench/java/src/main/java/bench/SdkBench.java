package bench;

import com.starrocks.data.load.stream.StreamLoadDataFormat;
import com.starrocks.data.load.stream.properties.StreamLoadProperties;
import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;
import com.starrocks.data.load.stream.v2.StreamLoadManagerV2;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The reference peer: the StarRocks Stream Load SDK (the loader inside the Flink connector) loading
 * the benchmark's rows into the same emulator, the way the connector's sink drives it.
 *
 * <pre>java -cp ... bench.SdkBench FE_URL BODY_FILE INTERVAL_MB [transaction|plain]</pre>
 *
 * BODY_FILE holds the rows as JSON objects that already carry "__op" (what the connector's JSON
 * serializer produces for upserts and deletes). Settings: the connector's documented defaults
 * (sink.buffer-flush.max-bytes = 90 MiB, sink.buffer-flush.max-rows = 500000, sink.chunk_limit =
 * 3 GiB; everything else the SDK's own defaults) plus its
 * transaction mode (enableTransaction, Transaction Stream Load with auto-commit, as the connector
 * uses at-least-once on StarRocks >= 2.4). Every INTERVAL_MB of input it calls flush(), like the
 * connector at a checkpoint. Prints one JSON line.
 */
public final class SdkBench {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String file = args[1];
    long interval = (long) (Double.parseDouble(args[2]) * 1048576.0);
    boolean transaction = args.length < 4 || !args[3].equals("plain");

    StreamLoadTableProperties table = StreamLoadTableProperties.builder()
        .database("bench")
        .table("orders")
        .streamLoadDataFormat(StreamLoadDataFormat.JSON)
        .enableUpsertDelete(true)
        .columns("id,customer,name,amount,ts,flag,__op")
        // The connector always sets these two (sink.chunk_limit, sink.buffer-flush.max-rows);
        // the SDK's builder default chunk limit is 0, which makes every row its own load.
        .chunkLimit(3221225472L)
        .maxBufferRows(500000)
        .build();
    StreamLoadProperties.Builder builder = StreamLoadProperties.builder();
    if (transaction) builder.enableTransaction();
    StreamLoadProperties props = builder
        .loadUrls(url)
        .username("root")
        .password("")
        .version("3.2.0") // skips the JDBC version probe; the emulator follows 3.2's protocol
        .labelPrefix("sdkbench-" + System.nanoTime())
        .cacheMaxBytes(94371840L) // sink.buffer-flush.max-bytes default of the Flink connector
        .defaultTableProperties(table)
        // The connector's JSON sink sends these headers (its serializer wraps rows in [ ]).
        .addHeader("format", "json")
        .addHeader("strip_outer_array", "true")
        .addHeader("ignore_json_size", "true")
        .addHeader("columns", "id,customer,name,amount,ts,flag,__op")
        .build();

    StreamLoadManagerV2 manager = new StreamLoadManagerV2(props, true);
    manager.init();
    long rows = 0, bytes = 0, nextFlush = interval;
    long t0 = System.nanoTime();
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(new FileInputStream(file), StandardCharsets.UTF_8), 1 << 20)) {
      String line;
      while ((line = in.readLine()) != null) {
        manager.write(null, "bench", "orders", line);
        rows++;
        bytes += line.length() + 1; // ASCII data: chars == bytes
        if (interval > 0 && bytes >= nextFlush) {
          nextFlush += interval;
          manager.flush();
        }
      }
    }
    manager.flush();
    double wall = (System.nanoTime() - t0) / 1e9;
    Throwable err = manager.getException();
    manager.close();
    if (err != null) {
      System.err.println("SdkBench: load failed: " + err);
      System.exit(1);
    }
    System.out.printf("{\"mode\":\"%s\",\"rows\":%d,\"input_bytes\":%d,\"wall_s\":%.4f}%n", transaction ? "transaction" : "plain", rows, bytes, wall);
    System.exit(0);
  }
}
