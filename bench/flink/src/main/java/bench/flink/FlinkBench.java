package bench.flink;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One benchmark run in this JVM: a MiniCluster (one task manager, `parallelism` slots) runs
 * {@code INSERT INTO sink SELECT * FROM orders} — the generated changelog ({@link Orders}) into a
 * StarRocks table through either connector — with a checkpoint every `checkpoint-ms`. Prints one
 * JSON line: wall time, rows/s, CPU of this whole process (every thread, native ones included,
 * from /proc/self/stat) during the job, peak RSS (VmHWM, the process's lifetime), peak heap used
 * (sampled every 20 ms), checkpoint durations (Flink's REST checkpoint history).
 *
 * <p>Arguments: key=value: sink=ours|official|blackhole, semantic=exactly-once|at-least-once,
 * format=json|csv (official; ours is JSON only), parallelism, rows, checkpoint-ms, load-url,
 * jdbc-url (official), database, table, label-prefix, seed, clk-tck.
 */
public final class FlinkBench {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkBench.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String s : argv) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("argument " + s + " is not key=value");
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    String sink = a.getOrDefault("sink", "ours");
    String semantic = a.getOrDefault("semantic", "exactly-once");
    String format = a.getOrDefault("format", "json");
    int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "1"));
    long rows = Long.parseLong(a.getOrDefault("rows", "100000"));
    long checkpointMs = Long.parseLong(a.getOrDefault("checkpoint-ms", "3000"));
    long clkTck = Long.parseLong(a.getOrDefault("clk-tck", "100"));
    String ddl = sinkDdl(sink, semantic, format, a);

    HeapSampler heap = new HeapSampler();
    heap.start();

    Configuration conf = new Configuration();
    conf.setString("rest.bind-port", "0");
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("web.checkpoints.history", "100000");
    conf.setString("table.exec.sink.upsert-materialize", "NONE");
    // A failure ends the run (the driver reports it) instead of restarting forever.
    conf.setString("restart-strategy.type", "none");
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
        .setNumTaskManagers(1).setNumSlotsPerTaskManager(parallelism).build());
    cluster.start();
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      TestStreamEnvironment.setAsContext(cluster, parallelism);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      env.setParallelism(parallelism);
      env.enableCheckpointing(checkpointMs);
      env.configure(conf);
      StreamTableEnvironment tenv = StreamTableEnvironment.create(env);
      tenv.getConfig().getConfiguration().setString("table.exec.sink.upsert-materialize", "NONE");

      tenv.executeSql("CREATE TABLE orders (id BIGINT NOT NULL, customer INT, name VARCHAR(32), amount DECIMAL(12, 2),"
          + " ts TIMESTAMP(0), flag BOOLEAN, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'bench-orders',"
          + " 'rows' = '" + rows + "', 'parallelism' = '" + parallelism + "', 'seed' = '" + a.getOrDefault("seed", "42") + "')");
      tenv.executeSql(ddl);
      String insert = "INSERT INTO sink SELECT * FROM orders";
      LOG.info("plan:\n{}", tenv.explainSql(insert));
      // Measured: planning the INSERT (the official sink reads the table's schema over JDBC
      // there), the job, the final checkpoint's commit.
      long cpu0 = processCpuTicks();
      long t0 = System.nanoTime();
      TableResult result = tenv.executeSql(insert);
      JobID job = result.getJobClient().orElseThrow(() -> new IllegalStateException("no job client")).getJobID();
      result.await();
      long t1 = System.nanoTime();
      long cpu1 = processCpuTicks();
      heap.stopSampling();

      double wall = (t1 - t0) / 1e9;
      double cpu = (cpu1 - cpu0) / (double) clkTck;
      out.put("sink", sink);
      out.put("semantic", semantic);
      out.put("format", sink.equals("official") ? format : "json");
      out.put("parallelism", parallelism);
      out.put("rows", rows);
      out.put("wall_s", round(wall));
      out.put("rows_per_s", Math.round(rows / wall));
      out.put("cpu_s", round(cpu));
      out.put("cpu_s_per_mrow", round(cpu / (rows / 1e6)));
      out.put("peak_rss_mib", round(statusKb("VmHWM") / 1024.0));
      out.put("peak_heap_used_mib", round(heap.peakUsed / 1048576.0));
      out.put("peak_heap_committed_mib", round(heap.peakCommitted / 1048576.0));
      out.put("heap_max_mib", round(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / 1048576.0));
      checkpoints(cluster.getRestAddress().get(), job, out);
      out.put("flink", org.apache.flink.runtime.util.EnvironmentInformation.getVersion());
    } finally {
      TestStreamEnvironment.unsetAsContext();
      cluster.close();
    }
    System.out.println(JSON.writeValueAsString(out));
    System.out.flush();
    // Connector threads (HTTP clients, timers) must not keep the JVM: the run is over.
    System.exit(0);
  }

  static String sinkDdl(String sink, String semantic, String format, Map<String, String> a) {
    StringBuilder w = new StringBuilder();
    w.append("CREATE TABLE sink (id BIGINT NOT NULL, customer INT, name VARCHAR(32), amount DECIMAL(12, 2),"
        + " ts TIMESTAMP(0), flag BOOLEAN, PRIMARY KEY (id) NOT ENFORCED) WITH (");
    if (sink.equals("blackhole")) {
      // The job without a StarRocks sink: what the source, Flink and the JVM cost on their own.
      return w.append("'connector' = 'blackhole')").toString();
    }
    opt(w, "load-url", a.get("load-url"));
    opt(w, "database-name", a.getOrDefault("database", "bench"));
    opt(w, "table-name", a.getOrDefault("table", "orders"));
    opt(w, "username", "root");
    opt(w, "password", "");
    opt(w, "sink.semantic", semantic);
    opt(w, "sink.label-prefix", a.getOrDefault("label-prefix", "bench"));
    if (sink.equals("ours")) {
      opt(w, "connector", "starrocks-sink");
    } else if (sink.equals("official")) {
      opt(w, "connector", "starrocks");
      opt(w, "jdbc-url", a.get("jdbc-url"));
      if (format.equals("json")) {
        // Its documented JSON setting (the V2 sink adds strip_outer_array and ignore_json_size
        // itself for JSON).
        opt(w, "sink.properties.format", "json");
      } else if (!format.equals("csv")) {
        throw new IllegalArgumentException("format must be json or csv, not " + format);
      }
    } else {
      throw new IllegalArgumentException("sink must be ours or official, not " + sink);
    }
    w.setLength(w.length() - 2);
    return w.append(")").toString();
  }

  private static void opt(StringBuilder w, String k, String v) {
    if (v == null) throw new IllegalArgumentException("missing argument for sink option " + k);
    w.append('\'').append(k).append("' = '").append(v.replace("'", "''")).append("', ");
  }

  /** Completed checkpoints' end-to-end durations (ms) from the job's REST checkpoint history. */
  static void checkpoints(URI rest, JobID job, Map<String, Object> out) throws IOException {
    JsonNode n = JSON.readTree(get(rest.resolve("/jobs/" + job + "/checkpoints")));
    List<Long> d = new ArrayList<>();
    long bytes = 0;
    for (JsonNode c : n.path("history")) {
      if (!"COMPLETED".equals(c.path("status").asText())) continue;
      d.add(c.path("end_to_end_duration").asLong());
      bytes += c.path("state_size").asLong(c.path("checkpointed_size").asLong());
    }
    Collections.sort(d);
    out.put("checkpoints", d.size());
    out.put("checkpoints_failed", n.path("counts").path("failed").asLong());
    out.put("checkpoint_ms_p50", pct(d, 50));
    out.put("checkpoint_ms_p99", pct(d, 99));
    out.put("checkpoint_ms_max", d.isEmpty() ? null : d.get(d.size() - 1));
    out.put("checkpoint_ms_all", d);
  }

  /** Nearest-rank percentile. */
  static Long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) return null;
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static String get(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  /** utime + stime of the whole process (all threads), in clock ticks. */
  static long processCpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    // Fields after the command name (which may hold spaces) start after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long statusKb(String key) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith(key + ":")) return Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]);
    }
    throw new IOException("no " + key + " in /proc/self/status");
  }

  static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.3f", v));
  }

  /** Peak heap used and committed, sampled (a pool-peak sum would add peaks of different moments). */
  static final class HeapSampler extends Thread {
    volatile long peakUsed;
    volatile long peakCommitted;
    private volatile boolean running = true;
    private final MemoryMXBean mx = ManagementFactory.getMemoryMXBean();

    HeapSampler() {
      super("bench-heap-sampler");
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running) {
        sample();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void sample() {
      java.lang.management.MemoryUsage u = mx.getHeapMemoryUsage();
      peakUsed = Math.max(peakUsed, u.getUsed());
      peakCommitted = Math.max(peakCommitted, u.getCommitted());
    }

    void stopSampling() {
      running = false;
      sample();
    }
  }
}
