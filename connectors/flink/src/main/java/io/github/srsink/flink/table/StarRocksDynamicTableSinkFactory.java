package io.github.srsink.flink.table;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.srsink.flink.Semantic;
import io.github.srsink.flink.StarRocksSinkOptions;
import io.github.srsink.flink.internal.RowDataJson;

import static io.github.srsink.flink.table.StarRocksTableOptions.*;

/**
 * {@code 'connector' = 'starrocks-sink'}: an upsert sink into a StarRocks Primary Key table with the
 * official connector's options. Unknown options are refused naming them (Flink's FactoryUtil);
 * values out of range, a csv format, a missing PRIMARY KEY or a column type without a JSON form are
 * refused at planning, naming the option or column.
 */
public final class StarRocksDynamicTableSinkFactory implements DynamicTableSinkFactory {
  private static final Logger LOG = LoggerFactory.getLogger(StarRocksDynamicTableSinkFactory.class);
  public static final String IDENTIFIER = "starrocks-sink";
  private static final ConfigOption<String> LOCAL_TIME_ZONE =
      ConfigOptions.key("table.local-time-zone").stringType().defaultValue("default");

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return new HashSet<>(Arrays.asList(LOAD_URL, DATABASE_NAME, TABLE_NAME, USERNAME));
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return new HashSet<>(Arrays.asList(PASSWORD, JDBC_URL, SINK_SEMANTIC, SINK_LABEL_PREFIX, SINK_BUFFER_FLUSH_MAX_BYTES,
        SINK_BUFFER_FLUSH_MAX_ROWS, SINK_BUFFER_FLUSH_INTERVAL_MS, SINK_MAX_RETRIES, SINK_RETRY_INTERVAL_MS,
        SINK_CONNECT_TIMEOUT_MS, SINK_SOCKET_TIMEOUT_MS, SINK_IGNORE_UPDATE_BEFORE, FactoryUtil.SINK_PARALLELISM));
  }

  @Override
  public DynamicTableSink createDynamicTableSink(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validateExcept(SINK_PROPERTIES_PREFIX);
    ReadableConfig config = helper.getOptions();
    String where = "table " + context.getObjectIdentifier().asSummaryString() + " ('connector' = '" + IDENTIFIER + "')";

    StarRocksSinkOptions options;
    try {
      StarRocksSinkOptions.Builder b = StarRocksSinkOptions.builder()
          .loadUrl(config.get(LOAD_URL))
          .database(config.get(DATABASE_NAME))
          .table(config.get(TABLE_NAME))
          .username(config.get(USERNAME))
          .password(config.get(PASSWORD))
          .semantic(Semantic.of(config.get(SINK_SEMANTIC)))
          .labelPrefix(config.getOptional(SINK_LABEL_PREFIX).orElse(null))
          .maxBytes(config.get(SINK_BUFFER_FLUSH_MAX_BYTES))
          .maxRows(config.get(SINK_BUFFER_FLUSH_MAX_ROWS))
          .flushIntervalMs(config.get(SINK_BUFFER_FLUSH_INTERVAL_MS))
          .maxRetries(config.get(SINK_MAX_RETRIES))
          .retryIntervalMs(config.get(SINK_RETRY_INTERVAL_MS))
          .connectTimeoutMs(config.get(SINK_CONNECT_TIMEOUT_MS))
          .socketTimeoutMs(config.get(SINK_SOCKET_TIMEOUT_MS));
      for (Map.Entry<String, String> e : context.getCatalogTable().getOptions().entrySet()) {
        if (e.getKey().startsWith(SINK_PROPERTIES_PREFIX)) {
          b.property(e.getKey().substring(SINK_PROPERTIES_PREFIX.length()), e.getValue());
        }
      }
      options = b.build();
    } catch (IllegalArgumentException e) {
      throw new ValidationException(where + ": " + e.getMessage(), e);
    }
    if (config.getOptional(JDBC_URL).isPresent()) {
      LOG.info("{}: 'jdbc-url' is accepted and ignored (starrocks-sink talks to the FE over HTTP only, through 'load-url')", where);
    }

    ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
    List<String> key = schema.getPrimaryKey().map(UniqueConstraint::getColumns).orElseThrow(() -> new ValidationException(
        where + ": needs a PRIMARY KEY (...) NOT ENFORCED equal to the StarRocks table's key: it writes upserts and deletes"
            + " into a StarRocks Primary Key table"));
    RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
    for (RowType.RowField f : rowType.getFields()) {
      try {
        RowDataJson.check(f.getType(), f.getName());
      } catch (IllegalArgumentException e) {
        throw new ValidationException(where + ": " + e.getMessage(), e);
      }
    }
    String zone = context.getConfiguration().get(LOCAL_TIME_ZONE);
    ZoneId sessionZone = "default".equals(zone) ? ZoneId.systemDefault() : ZoneId.of(zone);
    return new StarRocksDynamicTableSink(options, rowType, key, sessionZone, config.get(SINK_IGNORE_UPDATE_BEFORE),
        config.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null), context.getObjectIdentifier().asSummaryString());
  }
}
