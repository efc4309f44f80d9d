package io.github.srsink.flink.table;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The SQL options: the official StarRocks connector's names, types and defaults (README,
 * "Migrating from the official connector" says which behave differently).
 */
public final class StarRocksTableOptions {
  private StarRocksTableOptions() {}

  public static final ConfigOption<String> LOAD_URL = ConfigOptions.key("load-url").stringType().noDefaultValue()
      .withDescription("FE HTTP addresses, ';'-separated: 'fe1:8030;fe2:8030' (http:// is assumed; an https:// prefix is kept).");
  public static final ConfigOption<String> JDBC_URL = ConfigOptions.key("jdbc-url").stringType().noDefaultValue()
      .withDescription("Accepted for compatibility and ignored: this connector talks to StarRocks over HTTP only.");
  public static final ConfigOption<String> DATABASE_NAME = ConfigOptions.key("database-name").stringType().noDefaultValue()
      .withDescription("StarRocks database.");
  public static final ConfigOption<String> TABLE_NAME = ConfigOptions.key("table-name").stringType().noDefaultValue()
      .withDescription("StarRocks table (a Primary Key table).");
  public static final ConfigOption<String> USERNAME = ConfigOptions.key("username").stringType().noDefaultValue()
      .withDescription("StarRocks user.");
  public static final ConfigOption<String> PASSWORD = ConfigOptions.key("password").stringType().defaultValue("")
      .withDescription("StarRocks password.");
  public static final ConfigOption<String> SINK_SEMANTIC = ConfigOptions.key("sink.semantic").stringType()
      .defaultValue("at-least-once").withDescription("'at-least-once' or 'exactly-once'.");
  public static final ConfigOption<String> SINK_LABEL_PREFIX = ConfigOptions.key("sink.label-prefix").stringType()
      .noDefaultValue().withDescription("Prefix of the Stream Load labels, [-_A-Za-z0-9]{1,32} (default 'sr_sink').");
  public static final ConfigOption<Long> SINK_BUFFER_FLUSH_MAX_BYTES = ConfigOptions.key("sink.buffer-flush.max-bytes")
      .longType().defaultValue(90L * 1024 * 1024).withDescription("Bytes buffered before a load is sent.");
  public static final ConfigOption<Long> SINK_BUFFER_FLUSH_MAX_ROWS = ConfigOptions.key("sink.buffer-flush.max-rows")
      .longType().defaultValue(500_000L).withDescription("Rows buffered before a load is sent.");
  public static final ConfigOption<Long> SINK_BUFFER_FLUSH_INTERVAL_MS = ConfigOptions.key("sink.buffer-flush.interval-ms")
      .longType().defaultValue(300_000L).withDescription("at-least-once: load (make visible) at least this often.");
  public static final ConfigOption<Integer> SINK_MAX_RETRIES = ConfigOptions.key("sink.max-retries").intType()
      .defaultValue(3).withDescription("Retries of a failed request.");
  public static final ConfigOption<Integer> SINK_RETRY_INTERVAL_MS = ConfigOptions.key("sink.retry.interval-ms")
      .intType().defaultValue(10_000).withDescription("First backoff before a retry (doubled each retry).");
  public static final ConfigOption<Integer> SINK_CONNECT_TIMEOUT_MS = ConfigOptions.key("sink.connect.timeout-ms")
      .intType().defaultValue(30_000).withDescription("Connect timeout, clamped to [100, 60000] ms.");
  public static final ConfigOption<Integer> SINK_SOCKET_TIMEOUT_MS = ConfigOptions.key("sink.socket.timeout-ms")
      .intType().defaultValue(-1).withDescription("Timeout of non-load requests; -1: the library's default (30 s).");
  public static final ConfigOption<Boolean> SINK_IGNORE_UPDATE_BEFORE = ConfigOptions.key("sink.ignore.update-before")
      .booleanType().defaultValue(true)
      .withDescription("Drop UPDATE_BEFORE rows (true) or write them as deletes (false: for updates that change the key).");
  public static final String SINK_PROPERTIES_PREFIX = "sink.properties.";
}
