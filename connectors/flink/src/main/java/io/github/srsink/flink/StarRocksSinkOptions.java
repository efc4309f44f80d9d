package io.github.srsink.flink;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a StarRocks sink needs, with the official connector's option meanings and defaults
 * (README, "Migrating from the official connector"). Built once on the client, shipped to the
 * task managers. {@link #toString()} never shows the password.
 */
public final class StarRocksSinkOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> loadUrls;
  private final String database;
  private final String table;
  private final String username;
  private final String password;
  private final Semantic semantic;
  private final String labelPrefix;
  private final long maxBytes;
  private final long maxRows;
  private final long flushIntervalMs;
  private final int maxRetries;
  private final int retryIntervalMs;
  private final int connectTimeoutMs;
  private final int socketTimeoutMs;
  private final Map<String, String> properties;

  private StarRocksSinkOptions(Builder b) {
    if (b.loadUrls.isEmpty()) throw new IllegalArgumentException("'load-url' is required (FE host:http_port, ';'-separated)");
    this.loadUrls = Collections.unmodifiableList(new ArrayList<>(b.loadUrls));
    this.database = require(b.database, "database-name");
    this.table = require(b.table, "table-name");
    this.username = require(b.username, "username");
    this.password = b.password == null ? "" : b.password;
    this.semantic = b.semantic;
    this.labelPrefix = b.labelPrefix;
    this.maxBytes = b.maxBytes;
    this.maxRows = b.maxRows;
    this.flushIntervalMs = b.flushIntervalMs;
    this.maxRetries = b.maxRetries;
    this.retryIntervalMs = b.retryIntervalMs;
    this.connectTimeoutMs = b.connectTimeoutMs;
    this.socketTimeoutMs = b.socketTimeoutMs;
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    checkRange("sink.max-retries", maxRetries, 0, 1000);
    checkRange("sink.buffer-flush.interval-ms", flushIntervalMs, 1000, 3_600_000);
    checkRange("sink.buffer-flush.max-rows", maxRows, 64_000, 5_000_000);
    checkRange("sink.buffer-flush.max-bytes", maxBytes, 64L << 20, 10L << 30);
    if (retryIntervalMs < 0) throw new IllegalArgumentException("Unsupported value '" + retryIntervalMs + "' for 'sink.retry.interval-ms': must be >= 0");
    if (labelPrefix != null && !labelPrefix.matches("[-_A-Za-z0-9]{1,32}")) {
      throw new IllegalArgumentException("Unsupported value '" + labelPrefix
          + "' for 'sink.label-prefix': 1 to 32 characters of [-_A-Za-z0-9] (StarRocks' label alphabet)");
    }
  }

  private static String require(String v, String key) {
    if (v == null || v.isEmpty()) throw new IllegalArgumentException("'" + key + "' is required");
    return v;
  }

  private static void checkRange(String key, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(String.format("Unsupported value '%d' for '%s'. Supported value range: [%d, %d].", v, key, min, max));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> loadUrls() {
    return loadUrls;
  }

  public String database() {
    return database;
  }

  public String table() {
    return table;
  }

  /** "db.table" as the library names it. */
  public String qualifiedTable() {
    return database + "." + table;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  public Semantic semantic() {
    return semantic;
  }

  /** The label prefix, or null: the library's default "sr_sink". */
  public String labelPrefix() {
    return labelPrefix;
  }

  public long flushIntervalMs() {
    return flushIntervalMs;
  }

  public long maxRows() {
    return maxRows;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /**
   * The registration options of libsr_sink (abi/sr_sink.h, sr_sink_connector_add_sink) for this
   * sink in the given execution mode.
   */
  public Map<String, Object> libraryOptions(boolean onCheckpoint) {
    Map<String, Object> o = new LinkedHashMap<>();
    List<String> urls = new ArrayList<>();
    for (String u : loadUrls) urls.add(u.contains("://") ? u : "http://" + u);
    o.put("http_url", urls);
    o.put("execution_mode", onCheckpoint ? "on_checkpoint" : "on_watermark");
    if (labelPrefix != null) o.put("label_prefix", labelPrefix);
    o.put("batch_max_bytes", maxBytes);
    o.put("batch_max_rows", maxRows);
    o.put("max_retries", maxRetries);
    o.put("retry_backoff_ms", retryIntervalMs);
    // The official connector clamps its connect timeout to [100, 60000] ms.
    o.put("connect_timeout_ms", Math.max(100, Math.min(connectTimeoutMs, 60_000)));
    if (socketTimeoutMs > 0) o.put("request_timeout_ms", socketTimeoutMs);
    if (!properties.isEmpty()) o.put("properties", properties);
    return o;
  }

  @Override
  public String toString() {
    return "StarRocksSinkOptions{loadUrls=" + loadUrls + ", table=" + qualifiedTable() + ", username=" + username
        + ", password=***, semantic=" + semantic.optionValue() + ", labelPrefix=" + labelPrefix + ", properties="
        + properties.keySet() + "}";
  }

  /** Options with the official connector's defaults. */
  public static final class Builder {
    private final List<String> loadUrls = new ArrayList<>();
    private String database;
    private String table;
    private String username;
    private String password;
    private Semantic semantic = Semantic.AT_LEAST_ONCE;
    private String labelPrefix;
    private long maxBytes = 90L << 20;
    private long maxRows = 500_000;
    private long flushIntervalMs = 300_000;
    private int maxRetries = 3;
    private int retryIntervalMs = 10_000;
    private int connectTimeoutMs = 30_000;
    private int socketTimeoutMs = -1;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    /** {@code load-url}: FE "host:http_port" entries, ';'-separated (an http(s):// prefix is kept). */
    public Builder loadUrl(String semicolonSeparated) {
      loadUrls.clear();
      for (String u : semicolonSeparated.split(";")) {
        if (!u.trim().isEmpty()) loadUrls.add(u.trim());
      }
      return this;
    }

    public Builder loadUrls(List<String> urls) {
      loadUrls.clear();
      loadUrls.addAll(urls);
      return this;
    }

    public Builder database(String v) {
      database = v;
      return this;
    }

    public Builder table(String v) {
      table = v;
      return this;
    }

    public Builder username(String v) {
      username = v;
      return this;
    }

    public Builder password(String v) {
      password = v;
      return this;
    }

    public Builder semantic(Semantic v) {
      semantic = Objects.requireNonNull(v, "semantic");
      return this;
    }

    public Builder labelPrefix(String v) {
      labelPrefix = v;
      return this;
    }

    public Builder maxBytes(long v) {
      maxBytes = v;
      return this;
    }

    public Builder maxRows(long v) {
      maxRows = v;
      return this;
    }

    public Builder flushIntervalMs(long v) {
      flushIntervalMs = v;
      return this;
    }

    public Builder maxRetries(int v) {
      maxRetries = v;
      return this;
    }

    public Builder retryIntervalMs(int v) {
      retryIntervalMs = v;
      return this;
    }

    public Builder connectTimeoutMs(int v) {
      connectTimeoutMs = v;
      return this;
    }

    public Builder socketTimeoutMs(int v) {
      socketTimeoutMs = v;
      return this;
    }

    /**
     * {@code sink.properties.<key>}: Stream Load headers. {@code format} accepts only json (csv is
     * refused, naming it); {@code strip_outer_array} is the library's business and dropped.
     */
    public Builder property(String key, String value) {
      String k = key.toLowerCase(java.util.Locale.ROOT);
      if (k.equals("format")) {
        if (!value.equalsIgnoreCase("json")) {
          throw new IllegalArgumentException("'sink.properties.format' = '" + value
              + "' is not supported by starrocks-sink: it always loads JSON (remove the option or set it to 'json')");
        }
        return this;
      }
      if (k.equals("strip_outer_array") || k.equals("ignore_json_size")) return this;
      if (k.equals("row_delimiter") || k.equals("column_separator")) {
        throw new IllegalArgumentException("'sink.properties." + key + "' is a CSV setting; starrocks-sink always loads JSON");
      }
      properties.put(key, value);
      return this;
    }

    public Builder properties(Map<String, String> props) {
      props.forEach(this::property);
      return this;
    }

    public StarRocksSinkOptions build() {
      return new StarRocksSinkOptions(this);
    }
  }
}
