package bench.flink;

import java.util.HashSet;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;

/**
 * 'connector' = 'bench-orders': the generated orders changelog ({@link Orders}) as a table
 * source. It declares every row kind (as a CDC source does), so the planner adds no
 * ChangelogNormalize in front of either sink.
 */
public final class OrdersSourceFactory implements DynamicTableSourceFactory {
  static final ConfigOption<Long> ROWS = ConfigOptions.key("rows").longType().noDefaultValue();
  static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("parallelism").intType().noDefaultValue();
  static final ConfigOption<Long> SEED = ConfigOptions.key("seed").longType().defaultValue(42L);

  @Override
  public String factoryIdentifier() {
    return "bench-orders";
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    Set<ConfigOption<?>> s = new HashSet<>();
    s.add(ROWS);
    s.add(PARALLELISM);
    return s;
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    Set<ConfigOption<?>> s = new HashSet<>();
    s.add(SEED);
    return s;
  }

  @Override
  public DynamicTableSource createDynamicTableSource(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validate();
    return new Source(helper.getOptions().get(ROWS), helper.getOptions().get(PARALLELISM), helper.getOptions().get(SEED),
        context.getCatalogTable().getResolvedSchema().toPhysicalRowDataType());
  }

  static final class Source implements ScanTableSource {
    private final long rows;
    private final int parallelism;
    private final long seed;
    private final DataType type;

    Source(long rows, int parallelism, long seed, DataType type) {
      this.rows = rows;
      this.parallelism = parallelism;
      this.seed = seed;
      this.type = type;
    }

    @Override
    public ChangelogMode getChangelogMode() {
      return ChangelogMode.all();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
      TypeInformation<RowData> info = context.createTypeInformation(type);
      return SourceProvider.of(new DataGeneratorSource<>(new OrdersGenerator(rows, parallelism, seed), rows, info));
    }

    @Override
    public DynamicTableSource copy() {
      return new Source(rows, parallelism, seed, type);
    }

    @Override
    public String asSummaryString() {
      return "bench-orders";
    }
  }
}
