package io.github.srsink.flink.internal;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.MultisetType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * Flink RowData → one JSON object for StarRocks' JSON Stream Load, type by type (README, "Types"):
 * <ul>
 *   <li>BOOLEAN, TINYINT … BIGINT: JSON literals and integers.</li>
 *   <li>FLOAT, DOUBLE: the shortest decimal text that reads back as the same value (Java's
 *       Float/Double.toString); NaN and ±Infinity have no JSON form and are refused naming the
 *       column.</li>
 *   <li>DECIMAL: a JSON string with the exact plain decimal text ("12345678901234567890.12"), so no
 *       JSON parser rounds it through a double.</li>
 *   <li>DATE "yyyy-MM-dd"; TIME "HH:mm:ss[.ffffff]"; TIMESTAMP "yyyy-MM-dd HH:mm:ss[.ffffff]"
 *       (microseconds, StarRocks' DATETIME precision; finer digits are cut); TIMESTAMP_LTZ the same
 *       in the session time zone.</li>
 *   <li>CHAR, VARCHAR: JSON strings; BINARY, VARBINARY: the bytes themselves as a JSON string
 *       (StarRocks stores a JSON string's bytes in a VARBINARY column as they are), so they must be
 *       valid UTF-8, else the row is refused naming the column.</li>
 *   <li>ARRAY, MULTISET (as an array of its elements, repeated by count), MAP (a JSON object whose
 *       keys are the key's text), ROW (a JSON object by field name).</li>
 * </ul>
 * Columns whose value is NULL are written as JSON null. Serializable: built on the client, used on
 * the task managers.
 */
public final class RowDataJson implements Serializable {
  // 2: per-column FieldWriters replaced getters + writers (a form serialized by 1 does not load)
  private static final long serialVersionUID = 2L;

  /** Writes one non-null value (of a nested type: array elements, map entries, row fields). */
  interface Writer extends Serializable {
    void write(Object value, JsonBuffer out);
  }

  /**
   * Writes one top-level column of a row, NULL included, reading it with the row's typed getter
   * (no boxing on the per-row path).
   */
  interface FieldWriter extends Serializable {
    void write(RowData row, JsonBuffer out);
  }

  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  /** Epoch milliseconds this far from 1970 cannot overflow when a zone offset is added. */
  private static final long FAST_OFFSET_MILLIS = 1L << 60;

  private final String[] names;
  private final byte[][] keys; // "\"name\":" (',' in front from the second on) as UTF-8, escaped once
  private final FieldWriter[] fields;

  public RowDataJson(RowType type, ZoneId sessionZone) {
    List<RowType.RowField> fields = type.getFields();
    int n = fields.size();
    names = new String[n];
    keys = new byte[n][];
    this.fields = new FieldWriter[n];
    for (int i = 0; i < n; i++) {
      RowType.RowField f = fields.get(i);
      names[i] = f.getName();
      JsonBuffer k = new JsonBuffer(f.getName().length() + 4);
      k.raw((byte) (i == 0 ? '{' : ',')).string(f.getName(), f.getName()).raw((byte) ':');
      keys[i] = k.copy(0);
      this.fields[i] = field(f.getType(), i, f.getName(), sessionZone.getId());
    }
  }

  public String[] columnNames() {
    return names.clone();
  }

  /** Appends the row as one JSON object. On error nothing of the row stays in out. */
  public void write(RowData row, JsonBuffer out) {
    int mark = out.length();
    try {
      if (fields.length == 0) out.raw((byte) '{');
      for (int i = 0; i < fields.length; i++) {
        out.raw(keys[i]);
        fields[i].write(row, out);
      }
      out.raw((byte) '}');
    } catch (RuntimeException e) {
      out.truncate(mark);
      throw e;
    }
  }

  /** The writer of top-level column pos: typed getters for the scalar types, else getter + writer. */
  static FieldWriter field(LogicalType type, int pos, String column, String zone) {
    FieldWriter w;
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        w = (r, out) -> out.raw(r.getBoolean(pos) ? TRUE : FALSE);
        break;
      case TINYINT:
        w = (r, out) -> JsonText.integer(r.getByte(pos), out);
        break;
      case SMALLINT:
        w = (r, out) -> JsonText.integer(r.getShort(pos), out);
        break;
      case INTEGER:
        w = (r, out) -> JsonText.integer(r.getInt(pos), out);
        break;
      case BIGINT:
        w = (r, out) -> JsonText.integer(r.getLong(pos), out);
        break;
      case DECIMAL: {
        int p = ((DecimalType) type).getPrecision();
        int sc = ((DecimalType) type).getScale();
        w = (r, out) -> JsonText.decimal(r.getDecimal(pos, p, sc), out);
        break;
      }
      case CHAR:
      case VARCHAR:
        w = (r, out) -> {
          byte[] b = r.getString(pos).toBytes();
          out.utf8String(b, 0, b.length, column, "string");
        };
        break;
      case DATE:
        w = (r, out) -> JsonText.date(r.getInt(pos), column, out);
        break;
      case TIMESTAMP_WITHOUT_TIME_ZONE: {
        int p = ((TimestampType) type).getPrecision();
        w = (r, out) -> {
          TimestampData t = r.getTimestamp(pos, p);
          JsonText.timestamp(t.getMillisecond(), t.getNanoOfMillisecond(), column, out);
        };
        break;
      }
      default: {
        RowData.FieldGetter get = RowData.createFieldGetter(type, pos);
        Writer vw = writer(type, column, zone);
        return (r, out) -> element(get.getFieldOrNull(r), vw, out);
      }
    }
    if (!type.isNullable()) return w; // as RowData.createFieldGetter: no null check
    FieldWriter nonNull = w;
    return (r, out) -> {
      if (r.isNullAt(pos)) out.raw(NULL);
      else nonNull.write(r, out);
    };
  }

  /** Refuses at planning time a type this converter has no JSON form for, naming the column. */
  public static void check(LogicalType type, String column) {
    writer(type, column, "UTC");
  }

  static Writer writer(LogicalType type, String column, String zone) {
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return (v, out) -> out.raw((Boolean) v ? TRUE : FALSE);
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
        return (v, out) -> JsonText.integer(((Number) v).longValue(), out);
      case FLOAT:
        return (v, out) -> {
          float f = (Float) v;
          if (Float.isNaN(f) || Float.isInfinite(f)) throw nonFinite(column, f);
          out.ascii(Float.toString(f));
        };
      case DOUBLE:
        return (v, out) -> {
          double d = (Double) v;
          if (Double.isNaN(d) || Double.isInfinite(d)) throw nonFinite(column, d);
          out.ascii(Double.toString(d));
        };
      case DECIMAL:
        return (v, out) -> JsonText.decimal((DecimalData) v, out);
      case CHAR:
      case VARCHAR:
        return (v, out) -> {
          byte[] b = ((StringData) v).toBytes();
          out.utf8String(b, 0, b.length, column, "string");
        };
      case BINARY:
      case VARBINARY:
        return (v, out) -> {
          byte[] b = (byte[]) v;
          out.utf8String(b, 0, b.length, column, "binary value");
        };
      case DATE:
        return (v, out) -> JsonText.date((Integer) v, column, out);
      case TIME_WITHOUT_TIME_ZONE:
        return (v, out) -> {
          int ms = (Integer) v;
          // Outside a day: LocalTime's own error, as before.
          if (ms < 0 || ms >= JsonText.MILLIS_PER_DAY) LocalTime.ofNanoOfDay(ms * 1_000_000L);
          JsonText.time(ms, out);
        };
      case TIMESTAMP_WITHOUT_TIME_ZONE:
        return (v, out) -> {
          TimestampData t = (TimestampData) v;
          JsonText.timestamp(t.getMillisecond(), t.getNanoOfMillisecond(), column, out);
        };
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
        ZoneId z = ZoneId.of(zone);
        if (z.getRules().isFixedOffset()) {
          // UTC or a fixed offset: the local time is the instant shifted by the offset.
          long offsetMs = z.getRules().getOffset(Instant.EPOCH).getTotalSeconds() * 1000L;
          return (v, out) -> {
            TimestampData t = (TimestampData) v;
            long ms = t.getMillisecond();
            if (Math.abs(ms) < FAST_OFFSET_MILLIS) {
              JsonText.timestamp(ms + offsetMs, t.getNanoOfMillisecond(), column, out);
            } else {
              JsonText.dateTime(LocalDateTime.ofInstant(t.toInstant(), z), column, out);
            }
          };
        }
        return (v, out) -> JsonText.dateTime(LocalDateTime.ofInstant(((TimestampData) v).toInstant(), z), column, out);
      }
      case ARRAY: {
        LogicalType et = ((ArrayType) type).getElementType();
        ArrayData.ElementGetter get = ArrayData.createElementGetter(et);
        Writer ew = writer(et, column + "[]", zone);
        return (v, out) -> {
          ArrayData a = (ArrayData) v;
          out.raw((byte) '[');
          for (int i = 0; i < a.size(); i++) {
            if (i > 0) out.raw((byte) ',');
            element(get.getElementOrNull(a, i), ew, out);
          }
          out.raw((byte) ']');
        };
      }
      case MULTISET: {
        LogicalType et = ((MultisetType) type).getElementType();
        ArrayData.ElementGetter get = ArrayData.createElementGetter(et);
        Writer ew = writer(et, column + "[]", zone);
        return (v, out) -> {
          MapData m = (MapData) v;
          ArrayData ks = m.keyArray();
          ArrayData cs = m.valueArray();
          out.raw((byte) '[');
          boolean first = true;
          for (int i = 0; i < m.size(); i++) {
            int count = cs.getInt(i);
            for (int c = 0; c < count; c++) {
              if (!first) out.raw((byte) ',');
              first = false;
              element(get.getElementOrNull(ks, i), ew, out);
            }
          }
          out.raw((byte) ']');
        };
      }
      case MAP: {
        MapType mt = (MapType) type;
        ArrayData.ElementGetter kget = ArrayData.createElementGetter(mt.getKeyType());
        ArrayData.ElementGetter vget = ArrayData.createElementGetter(mt.getValueType());
        Writer kw = writer(mt.getKeyType(), column + "{key}", zone);
        Writer vw = writer(mt.getValueType(), column + "{}", zone);
        return (v, out) -> {
          MapData m = (MapData) v;
          ArrayData ks = m.keyArray();
          ArrayData vs = m.valueArray();
          out.raw((byte) '{');
          JsonBuffer key = new JsonBuffer(32);
          for (int i = 0; i < m.size(); i++) {
            if (i > 0) out.raw((byte) ',');
            Object k = kget.getElementOrNull(ks, i);
            if (k == null) throw new RowConversionException(column, "a MAP key is NULL (a JSON object key cannot be null)");
            key.reset();
            kw.write(k, key);
            mapKey(key, out);
            out.raw((byte) ':');
            element(vget.getElementOrNull(vs, i), vw, out);
          }
          out.raw((byte) '}');
        };
      }
      case ROW: {
        RowType rt = (RowType) type;
        int n = rt.getFieldCount();
        byte[][] fkeys = new byte[n][];
        RowData.FieldGetter[] fget = new RowData.FieldGetter[n];
        Writer[] fw = new Writer[n];
        for (int i = 0; i < n; i++) {
          String name = rt.getFieldNames().get(i);
          JsonBuffer k = new JsonBuffer(name.length() + 4);
          k.string(name, column + "." + name).raw((byte) ':');
          fkeys[i] = k.copy(0);
          fget[i] = RowData.createFieldGetter(rt.getTypeAt(i), i);
          fw[i] = writer(rt.getTypeAt(i), column + "." + name, zone);
        }
        return (v, out) -> {
          RowData r = (RowData) v;
          out.raw((byte) '{');
          for (int i = 0; i < n; i++) {
            if (i > 0) out.raw((byte) ',');
            out.raw(fkeys[i]);
            element(fget[i].getFieldOrNull(r), fw[i], out);
          }
          out.raw((byte) '}');
        };
      }
      case NULL:
        return (v, out) -> out.ascii("null");
      default:
        throw new RowConversionException(column, "Flink type " + type.asSummaryString()
            + " has no StarRocks JSON form in this connector (supported: BOOLEAN, TINYINT..BIGINT, FLOAT, DOUBLE, "
            + "DECIMAL, CHAR, VARCHAR, BINARY, VARBINARY, DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ, ARRAY, MAP, MULTISET, ROW)");
    }
  }

  private static void element(Object v, Writer w, JsonBuffer out) {
    if (v == null) out.raw(NULL);
    else w.write(v, out);
  }

  /** A JSON object key is a string: a key written as a string stays, anything else is quoted text. */
  private static void mapKey(JsonBuffer key, JsonBuffer out) {
    String text = key.toString();
    if (text.startsWith("\"")) {
      out.raw(key.copy(0)); // already a JSON string
    } else {
      out.raw((byte) '"').ascii(text).raw((byte) '"');
    }
  }

  private static RowConversionException nonFinite(String column, double v) {
    return new RowConversionException(column, "the value " + v
        + " has no JSON form (JSON numbers are finite) and StarRocks cannot store it; filter or map it before the sink");
  }
}
