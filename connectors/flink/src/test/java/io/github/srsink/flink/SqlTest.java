package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.time.ZoneId;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import io.github.srsink.flink.table.RowDataSerializer;
import java.util.TreeMap;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests 3 and 5: 'connector' = 'starrocks-sink' with the official connector's options, an
 * aggregate over a changelog into a Primary Key table; and bad options and tables failing the
 * submission or the first open with a message naming the problem.
 */
class SqlTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = TestJobs.cluster();

  @RegisterExtension
  static final Emulator emu = new Emulator(TestJobs.CATALOG);

  static final int N = 30_000;
  static final int KEYS = 37;

  static StreamTableEnvironment tableEnv(long checkpointMs, boolean restarts) {
    StreamTableEnvironment t = StreamTableEnvironment.create(TestJobs.env(2, checkpointMs));
    if (!restarts) t.getConfig().set("restart-strategy.type", "none");
    return t;
  }

  static void source(StreamTableEnvironment t) {
    t.executeSql("CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20000', "
        + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '" + N + "')");
  }

  /** The official connector's option set, with this connector's identifier. */
  String sinkDdl(String name, String table, String extra) {
    return "CREATE TABLE " + name + " (k STRING, cnt BIGINT, total DECIMAL(20, 2), PRIMARY KEY (k) NOT ENFORCED) WITH ("
        + "'connector' = 'starrocks-sink', 'jdbc-url' = 'jdbc:mysql://127.0.0.1:9030', 'load-url' = '" + emu.loadUrl() + "', "
        + "'database-name' = 'flink', 'table-name' = '" + table + "', 'username' = 'root', 'password' = '', "
        + "'sink.buffer-flush.max-rows' = '64000', 'sink.buffer-flush.max-bytes' = '67108864', "
        + "'sink.buffer-flush.interval-ms' = '1000', 'sink.max-retries' = '2', 'sink.retry.interval-ms' = '100', "
        + "'sink.connect.timeout-ms' = '2000', 'sink.socket.timeout-ms' = '30000', 'sink.parallelism' = '2', "
        + "'sink.properties.format' = 'json', 'sink.properties.strip_outer_array' = 'true'" + extra + ")";
  }

  static final String AGGREGATE = "SELECT CAST(MOD(id, " + KEYS + ") AS STRING) AS k, COUNT(*) AS cnt, "
      + "CAST(SUM(id) AS DECIMAL(20, 2)) AS total FROM src GROUP BY MOD(id, " + KEYS + ")";

  static void assertAggregates(String table) throws Exception {
    Map<String, String> expected = new TreeMap<>();
    long[] cnt = new long[KEYS];
    long[] sum = new long[KEYS];
    for (long id = 1; id <= N; id++) {
      cnt[(int) (id % KEYS)]++;
      sum[(int) (id % KEYS)] += id;
    }
    for (int k = 0; k < KEYS; k++) expected.put(Integer.toString(k), cnt[k] + "|" + new BigDecimal(sum[k]).setScale(2));
    Map<String, String> actual = new TreeMap<>();
    for (JsonNode r : emu.rows("flink", table)) {
      actual.put(r.get("k").asText(), r.get("cnt").asLong() + "|" + new BigDecimal(r.get("total").asText()).setScale(2));
    }
    assertEquals(expected, actual);
  }

  @Test
  void anExactlyOnceAggregateWithTheOfficialOptionsEqualsTheExpectedTable() throws Exception {
    StreamTableEnvironment t = tableEnv(200, true);
    source(t);
    t.executeSql(sinkDdl("sink", "agg", ", 'sink.semantic' = 'exactly-once', 'sink.label-prefix' = 'sql_eo'"));
    t.executeSql("INSERT INTO sink " + AGGREGATE).await();
    assertAggregates("agg");
    for (Map.Entry<String, JsonNode> e : emu.labels("flink").entrySet()) {
      if (e.getKey().startsWith("sql_eo-")) {
        assertTrue(e.getValue().path("commits").asInt() <= 1, e.getKey() + " committed twice");
        String state = e.getValue().path("state").asText();
        assertTrue(!state.startsWith("PREPARE"), e.getKey() + " left " + state);
      }
    }
  }

  @Test
  void updateBeforeAsDeleteConvergesToTheSameAggregates() throws Exception {
    StreamTableEnvironment t = tableEnv(200, true);
    source(t);
    t.executeSql(sinkDdl("sink", "agg2", ", 'sink.ignore.update-before' = 'false'"));
    t.executeSql("INSERT INTO sink " + AGGREGATE).await();
    assertAggregates("agg2");
  }

  @Test
  void everyTypeLoadsIntoStarRocksAsWritten() throws Exception {
    StreamTableEnvironment t = tableEnv(0, false);
    t.executeSql("CREATE TABLE types (id INT, b BOOLEAN, t TINYINT, sm SMALLINT, big BIGINT, f FLOAT, d DOUBLE, "
        + "`dec` DECIMAL(38, 10), dt DATE, ts TIMESTAMP(6), str STRING, arr ARRAY<INT>, m MAP<STRING, INT>, "
        + "PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'starrocks-sink', 'load-url' = '" + emu.loadUrl() + "', "
        + "'database-name' = 'flink', 'table-name' = 'types', 'username' = 'root', 'password' = '')");
    t.executeSql("INSERT INTO types VALUES (1, TRUE, CAST(-128 AS TINYINT), CAST(32767 AS SMALLINT), 9223372036854775807, "
        + "CAST(0.1 AS FLOAT), 0.1, CAST('1234567890123456789012345678.0123456789' AS DECIMAL(38, 10)), DATE '2024-02-29', "
        + "TIMESTAMP '2024-01-02 03:04:05.000007', 'a\"b' || CHR(10) || 'é漢😀', ARRAY[1, CAST(NULL AS INT), 3], MAP['k', 1])").await();
    t.executeSql("INSERT INTO types (id) VALUES (2)").await();
    List<JsonNode> rows = emu.rows("flink", "types");
    assertEquals(2, rows.size(), rows.toString());
    JsonNode r = rows.get(0);
    assertEquals(1, r.get("id").asInt());
    assertTrue(r.get("b").asBoolean() || r.get("b").asInt() == 1, r.toString());
    assertEquals(-128, r.get("t").asInt());
    assertEquals(32767, r.get("sm").asInt());
    assertEquals(Long.MAX_VALUE, r.get("big").asLong());
    assertEquals(0.1f, (float) r.get("f").asDouble());
    assertEquals(0.1, r.get("d").asDouble());
    assertEquals(new BigDecimal("1234567890123456789012345678.0123456789"), new BigDecimal(r.get("dec").asText()));
    assertEquals("2024-02-29", r.get("dt").asText());
    assertEquals("2024-01-02 03:04:05.000007", r.get("ts").asText());
    assertEquals("a\"b\né漢😀", r.get("str").asText());
    assertEquals("[1,null,3]", r.get("arr").toString());
    assertEquals("{\"k\":1}", r.get("m").toString());
    for (String c : new String[] {"b", "t", "sm", "big", "f", "d", "dec", "dt", "ts", "str", "arr", "m"}) {
      assertTrue(rows.get(1).get(c).isNull(), c + " of row 2: " + rows.get(1));
    }
  }

  /** A changelog whose update changes the key (CDC of an UPDATE ... SET id = 2 WHERE id = 1). */
  static final class KeyChange implements MapFunction<Long, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowData map(Long i) {
      GenericRowData r;
      if (i == 0) r = GenericRowData.ofKind(RowKind.INSERT, 1L, 10L, StringData.fromString("a"));
      else if (i == 1) r = GenericRowData.ofKind(RowKind.UPDATE_BEFORE, 1L, 10L, StringData.fromString("a"));
      else r = GenericRowData.ofKind(RowKind.UPDATE_AFTER, 2L, 10L, StringData.fromString("a"));
      return r;
    }
  }

  Set<Long> keyChange(String table, boolean ignoreUpdateBefore) throws Exception {
    RowType type = (RowType) DataTypes.ROW(DataTypes.FIELD("id", DataTypes.BIGINT()),
        DataTypes.FIELD("v", DataTypes.BIGINT()), DataTypes.FIELD("s", DataTypes.STRING())).getLogicalType();
    StreamExecutionEnvironment env = TestJobs.env(1, 0);
    env.fromSequence(0, 2).map(new KeyChange()).returns(InternalTypeInfo.of(type))
        .sinkTo(StarRocksSink.<RowData>builder()
            .options(TestJobs.options(emu, table, Semantic.AT_LEAST_ONCE, "ub").build())
            .columns("id", "v", "s")
            .serializer(new RowDataSerializer(type, ZoneId.of("UTC"), ignoreUpdateBefore)).build());
    env.execute("update-before " + ignoreUpdateBefore);
    Set<Long> ids = new TreeSet<>();
    for (JsonNode r : emu.rows("flink", table)) ids.add(r.get("id").asLong());
    return ids;
  }

  @Test
  void updateBeforeIsDroppedByDefaultAndADeleteWhenNotIgnored() throws Exception {
    assertEquals(Set.of(1L, 2L), keyChange("kv3", true), "UPDATE_BEFORE dropped: the old key stays");
    assertEquals(Set.of(2L), keyChange("kv2", false), "UPDATE_BEFORE as a delete: the old key is gone");
  }

  // ---- test 5: bad options and tables -------------------------------------------------------

  /** The messages of an exception and all its causes, in one string. */
  static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = e; c != null; c = c.getCause()) b.append(c.getMessage()).append(" | ");
    return b.toString();
  }

  String failure(String extra, String table, String columns) {
    StreamTableEnvironment t = tableEnv(0, false);
    t.executeSql("CREATE TABLE src2 (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '10', "
        + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '10')");
    String ddl = sinkDdl("bad", table, extra);
    if (columns != null) ddl = ddl.replace("(k STRING, cnt BIGINT, total DECIMAL(20, 2), PRIMARY KEY (k) NOT ENFORCED)", columns);
    t.executeSql(ddl);
    String insert = columns == null ? "INSERT INTO bad SELECT CAST(id AS STRING), id, CAST(id AS DECIMAL(20, 2)) FROM src2"
        : "INSERT INTO bad SELECT id, id, CAST(id AS STRING) FROM src2";
    Exception e = assertThrows(Exception.class, () -> t.executeSql(insert).await());
    return messages(e);
  }

  @Test
  void anUnknownOptionIsRefusedByName() {
    String m = failure(", 'sink.buffer-flush.maxrows' = '5'", "agg", null);
    assertTrue(m.contains("sink.buffer-flush.maxrows"), m);
  }

  @Test
  void csvIsRefusedNamingTheFormat() {
    String m = failure(", 'sink.properties.format' = 'csv'", "agg", null).toLowerCase();
    assertTrue(m.contains("sink.properties.format") && m.contains("csv"), m);
  }

  @Test
  void aBadSemanticAndAnOutOfRangeValueAreRefusedByName() {
    String m = failure(", 'sink.semantic' = 'twice'", "agg", null);
    assertTrue(m.contains("sink.semantic") && m.contains("twice"), m);
    m = failure(", 'sink.label-prefix' = 'has space'", "agg", null);
    assertTrue(m.contains("sink.label-prefix"), m);
  }

  @Test
  void aTableWithoutPrimaryKeyIsRefusedAtPlanning() {
    String m = failure("", "agg", "(k STRING, cnt BIGINT, total DECIMAL(20, 2))");
    assertTrue(m.contains("PRIMARY KEY"), m);
  }

  @Test
  void aMissingStarRocksTableFailsTheFirstOpenNamingIt() {
    String m = failure("", "nope", null);
    assertTrue(m.contains("flink.nope"), m);
  }

  @Test
  void aNonPrimaryKeyTableFailsTheFirstOpen() {
    String m = failure("", "events", null);
    assertTrue(m.contains("flink.events") && m.toLowerCase().contains("primary key"), m);
  }

  @Test
  void aPrimaryKeyMissingAStarRocksKeyColumnFailsTheFirstOpen() {
    String m = failure("", "kv", "(id BIGINT, v BIGINT, s STRING, PRIMARY KEY (v) NOT ENFORCED)");
    assertTrue(m.contains("declared primary key [v]") && m.contains("SR_SINK_E_SCHEMA") && m.contains("id"), m);
  }

  @Test
  void aPrimaryKeyWithAnExtraColumnFailsTheFirstOpen() {
    // Flink would keep one row per (id, v), StarRocks one per id.
    String m = failure("", "kv", "(id BIGINT, v BIGINT, s STRING, PRIMARY KEY (id, v) NOT ENFORCED)");
    assertTrue(m.contains("the primary key of flink.kv is (`id`), but the host declared (`id`, `v`)"), m);
  }
}
