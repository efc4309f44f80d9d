package bench.flink;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;

/**
 * Index → changelog row for DataGeneratorSource. The source splits [0, n) into p contiguous
 * splits (NumberSequenceSource); split k is the {@link Orders.Stream} of subtask k, so the ids of
 * one split never appear in another and each key's changes reach one sink subtask in order.
 * Inserts are INSERT, updates UPDATE_AFTER, deletes DELETE (no UPDATE_BEFORE: both sinks drop it
 * in their default upsert mode).
 */
final class OrdersGenerator implements GeneratorFunction<Long, RowData> {
  private static final long serialVersionUID = 1L;
  private final long rows;
  private final int parallelism;
  private final long seed;
  private transient long[] starts;
  private transient Map<Integer, Orders.Stream> streams;
  private transient Orders.Stream current;
  private transient long expectedNext;

  OrdersGenerator(long rows, int parallelism, long seed) {
    this.rows = rows;
    this.parallelism = parallelism;
    this.seed = seed;
  }

  /** The first index of each split, as the source splits [0, rows) into p. */
  static long[] splitStarts(long rows, int p) {
    List<NumberSequenceSource.NumberSequenceSplit> splits = new Splitter(rows).split(p);
    long[] s = new long[splits.size()];
    for (int i = 0; i < s.length; i++) s[i] = splits.get(i).from();
    return s;
  }

  /** Splits exactly as DataGeneratorSource does (its NumberSequenceSource, one split per reader). */
  private static final class Splitter extends NumberSequenceSource {
    private static final long serialVersionUID = 1L;
    private final long rows;

    Splitter(long rows) {
      super(0, rows - 1);
      this.rows = rows;
    }

    List<NumberSequenceSplit> split(int p) {
      return splitNumberRange(0, rows - 1, p);
    }
  }

  @Override
  public void open(SourceReaderContext context) {
    if (context.currentParallelism() != parallelism) {
      throw new IllegalStateException("bench-orders: source parallelism " + context.currentParallelism()
          + " but the table was declared with 'parallelism' = " + parallelism);
    }
    starts = splitStarts(rows, parallelism);
    streams = new HashMap<>();
    expectedNext = -1;
  }

  @Override
  public RowData map(Long boxed) {
    long index = boxed;
    if (index != expectedNext) {
      int k = -1;
      for (int i = 0; i < starts.length; i++) if (starts[i] == index) k = i;
      if (k < 0) throw new IllegalStateException("bench-orders: index " + index + " does not start a split (a restore?)");
      final int split = k;
      current = streams.computeIfAbsent(k, x -> new Orders.Stream(seed, split, parallelism));
    }
    expectedNext = index + 1;
    Orders.Stream s = current;
    s.next();
    GenericRowData row = new GenericRowData(6);
    row.setRowKind(s.kind == Orders.Kind.INSERT ? RowKind.INSERT
        : s.kind == Orders.Kind.UPDATE ? RowKind.UPDATE_AFTER : RowKind.DELETE);
    row.setField(0, s.id);
    row.setField(1, s.customer);
    row.setField(2, StringData.fromString(s.name));
    row.setField(3, DecimalData.fromUnscaledLong(s.cents, 12, 2));
    row.setField(4, TimestampData.fromLocalDateTime(LocalDateTime.of(2026, s.month, s.day, s.hour, s.minute, s.second)));
    row.setField(5, s.flag);
    return row;
  }

  static BigDecimal amount(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
