package io.github.srsink.officialcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official StarRocks Flink connector (com.starrocks:flink-connector-starrocks 1.2.10 for Flink
 * 1.19, unmodified, from Maven Central) against sr-emulator: its sink runs `select
 * current_version()` and reads information_schema.COLUMNS through MySQL Connector/J at 'jdbc-url'
 * (the emulator's query port) before it loads through 'load-url' (the FE HTTP port). Each test
 * loads a Primary Key table from a Flink SQL job on a MiniCluster and checks the table's final
 * rows in the emulator's dump, row for row.
 */
class OfficialConnectorTest {
  private static final String CATALOG = "{\"databases\":{\"shop\":{\"tables\":{"
      + table("orders_alo") + "," + table("orders_eo") + "," + table("orders_plain") + "," + table("orders_v1")
      + "}}}}";
  private static final int ROWS = 3000;

  private static Path dir;
  private static EmulatorProcess emu;

  private static String table(String name) {
    return "\"" + name + "\":{\"keys_type\":\"PRIMARY_KEYS\",\"columns\":["
        + "{\"name\":\"id\",\"type\":\"BIGINT\",\"key\":true,\"nullable\":false},"
        + "{\"name\":\"name\",\"type\":\"VARCHAR(64)\"},"
        + "{\"name\":\"amount\",\"type\":\"DECIMAL(12,2)\"}]}";
  }

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("sr-emulator-official-");
    // A user with a password: both the JDBC handshake and Stream Load's Basic auth check it.
    emu = EmulatorProcess.start(EmulatorProcess.writeCatalog(dir, CATALOG), "root:,flink:flink-pw");
  }

  @AfterAll
  static void stop() throws Exception {
    if (emu != null) emu.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
      }
    }
  }

  private static StreamTableEnvironment tableEnv(long checkpointMs) {
    Configuration conf = new Configuration();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    if (checkpointMs > 0) env.enableCheckpointing(checkpointMs);
    return StreamTableEnvironment.create(env);
  }

  /** The sink table DDL with the connector's documented options. */
  private static String sinkDdl(String table, String semantic, String extra) {
    return "CREATE TABLE sink (id BIGINT, name STRING, amount DECIMAL(12,2), PRIMARY KEY (id) NOT ENFORCED) WITH ("
        + "'connector' = 'starrocks',"
        + "'jdbc-url' = 'jdbc:mysql://127.0.0.1:" + emu.queryPort + "',"
        + "'load-url' = '127.0.0.1:" + emu.fePort + "',"
        + "'database-name' = 'shop',"
        + "'table-name' = '" + table + "',"
        + "'username' = 'flink',"
        + "'password' = 'flink-pw',"
        + "'sink.semantic' = '" + semantic + "',"
        + "'sink.properties.format' = 'json',"
        + "'sink.buffer-flush.interval-ms' = '1000'"
        + extra + ")";
  }

  /**
   * The source: ids 1..ROWS once each, split over two parallel subtasks (two writers, each with
   * its own transactions). Each id once: two writers' order on one key is not defined.
   */
  private static void createSource(StreamTableEnvironment t) {
    t.executeSql("CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', "
        + "'fields.id.start' = '1', 'fields.id.end' = '" + ROWS + "')");
  }

  private static final String INSERT = "INSERT INTO sink SELECT id, CONCAT('name-', CAST(id AS STRING)), "
      + "CAST(id AS DECIMAL(12,2)) / 4 FROM gen";

  /** The dump expected after INSERT, sorted by key as the dump is. */
  private static List<String> expected() {
    List<String> out = new ArrayList<>();
    for (long id = 1; id <= ROWS; ++id) {
      out.add("{\"id\":" + id + ",\"name\":\"name-" + id + "\",\"amount\":"
          + new java.math.BigDecimal(id).divide(new java.math.BigDecimal(4)).setScale(2) + "}");
    }
    return out;
  }

  private static List<String> dump(String table) throws Exception {
    return Stream.of(emu.admin("/_emulator/tables/shop/" + table + "/rows").split("\n"))
        .filter(l -> !l.isBlank()).collect(Collectors.toList());
  }

  private static void runAndCheck(String table, long checkpointMs, String semantic, String extra) throws Exception {
    StreamTableEnvironment t = tableEnv(checkpointMs);
    createSource(t);
    t.executeSql(sinkDdl(table, semantic, extra));
    t.executeSql(INSERT).await();
    List<String> rows = dump(table);
    assertEquals(ROWS, rows.size(), "rows in shop." + table);
    assertEquals(expected(), rows);
  }

  @Test
  void atLeastOnce() throws Exception {
    runAndCheck("orders_alo", 0, "at-least-once", "");
  }

  @Test
  void atLeastOnceWithPlainStreamLoad() throws Exception {
    // /api/{db}/{table}/_stream_load with the connector's labels instead of Transaction Stream Load.
    runAndCheck("orders_plain", 0, "at-least-once", ",'sink.at-least-once.use-transaction-stream-load' = 'false'");
  }

  @Test
  void atLeastOnceWithSinkV1() throws Exception {
    // The legacy sink (StarRocksSinkManager): its own JDBC queries and Stream Load client. It sends
    // JSON rows as one array, so (as its documentation says) strip_outer_array must be set; without
    // it the emulator refuses the load as StarRocks does.
    runAndCheck("orders_v1", 0, "at-least-once",
        ",'sink.version' = 'V1', 'sink.properties.strip_outer_array' = 'true', 'sink.max-retries' = '0'");
  }

  @Test
  void exactlyOnce() throws Exception {
    runAndCheck("orders_eo", 200, "exactly-once", ",'sink.label-prefix' = 'official-eo'");
    // Exactly-once goes through Transaction Stream Load: the labels the emulator remembers carry the prefix.
    String stats = emu.admin("/_emulator/stats");
    assertTrue(stats.contains("official-eo"), "no transaction label with the prefix in " + stats);
  }
}
