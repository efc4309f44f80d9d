package io.github.srsink.flink.internal;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
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
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.MultisetType;
import org.apache.flink.table.types.logical.RowType;

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
  private static final long serialVersionUID = 1L;

  /** Writes one non-null value. */
  interface Writer extends Serializable {
    void write(Object value, JsonBuffer out);
  }

  private final String[] names;
  private final byte[][] keys; // "\"name\":" as UTF-8, escaped once
  private final RowData.FieldGetter[] getters;
  private final Writer[] writers;

  public RowDataJson(RowType type, ZoneId sessionZone) {
    List<RowType.RowField> fields = type.getFields();
    int n = fields.size();
    names = new String[n];
    keys = new byte[n][];
    getters = new RowData.FieldGetter[n];
    writers = new Writer[n];
    for (int i = 0; i < n; i++) {
      RowType.RowField f = fields.get(i);
      names[i] = f.getName();
      JsonBuffer k = new JsonBuffer(f.getName().length() + 4);
      k.string(f.getName(), f.getName()).raw((byte) ':');
      keys[i] = k.copy(0);
      getters[i] = RowData.createFieldGetter(f.getType(), i);
      writers[i] = writer(f.getType(), f.getName(), sessionZone.getId());
    }
  }

  public String[] columnNames() {
    return names.clone();
  }

  /** Appends the row as one JSON object. On error nothing of the row stays in out. */
  public void write(RowData row, JsonBuffer out) {
    int mark = out.length();
    try {
      out.raw((byte) '{');
      for (int i = 0; i < writers.length; i++) {
        if (i > 0) out.raw((byte) ',');
        for (byte b : keys[i]) out.raw(b);
        Object v = getters[i].getFieldOrNull(row);
        if (v == null) out.ascii("null");
        else writers[i].write(v, out);
      }
      out.raw((byte) '}');
    } catch (RuntimeException e) {
      out.truncate(mark);
      throw e;
    }
  }

  /** Refuses at planning time a type this converter has no JSON form for, naming the column. */
  public static void check(LogicalType type, String column) {
    writer(type, column, "UTC");
  }

  static Writer writer(LogicalType type, String column, String zone) {
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return (v, out) -> out.ascii((Boolean) v ? "true" : "false");
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
        return (v, out) -> out.ascii(v.toString());
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
        return (v, out) -> {
          BigDecimal d = ((DecimalData) v).toBigDecimal();
          out.raw((byte) '"').ascii(d.toPlainString()).raw((byte) '"');
        };
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
        return (v, out) -> {
          LocalDate d = LocalDate.ofEpochDay((Integer) v);
          year(d.getYear(), column);
          out.raw((byte) '"').ascii(d.toString()).raw((byte) '"');
        };
      case TIME_WITHOUT_TIME_ZONE:
        return (v, out) -> {
          LocalTime t = LocalTime.ofNanoOfDay((Integer) v * 1_000_000L);
          out.raw((byte) '"').ascii(twoDigits(t.getHour())).raw((byte) ':').ascii(twoDigits(t.getMinute()))
              .raw((byte) ':').ascii(twoDigits(t.getSecond()));
          fraction(t.getNano(), out);
          out.raw((byte) '"');
        };
      case TIMESTAMP_WITHOUT_TIME_ZONE:
        return (v, out) -> dateTime(((TimestampData) v).toLocalDateTime(), column, out);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
        ZoneId z = ZoneId.of(zone);
        return (v, out) -> dateTime(LocalDateTime.ofInstant(((TimestampData) v).toInstant(), z), column, out);
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
            for (byte b : fkeys[i]) out.raw(b);
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
    if (v == null) out.ascii("null");
    else w.write(v, out);
  }

  /** A JSON object key is a string: a key written as a string stays, anything else is quoted text. */
  private static void mapKey(JsonBuffer key, JsonBuffer out) {
    String text = key.toString();
    if (text.startsWith("\"")) {
      for (byte x : key.copy(0)) out.raw(x); // already a JSON string
    } else {
      out.raw((byte) '"').ascii(text).raw((byte) '"');
    }
  }

  private static RowConversionException nonFinite(String column, double v) {
    return new RowConversionException(column, "the value " + v
        + " has no JSON form (JSON numbers are finite) and StarRocks cannot store it; filter or map it before the sink");
  }

  private static String twoDigits(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  private static void fraction(int nanos, JsonBuffer out) {
    int micros = nanos / 1000;
    if (micros == 0) return;
    String s = Integer.toString(micros);
    out.raw((byte) '.');
    for (int i = s.length(); i < 6; i++) out.raw((byte) '0');
    out.ascii(s);
  }

  private static void year(int y, String column) {
    if (y < 0 || y > 9999) {
      throw new RowConversionException(column, "year " + y + " is outside StarRocks' DATE/DATETIME range 0000..9999");
    }
  }

  static void dateTime(LocalDateTime t, String column, JsonBuffer out) {
    int y = t.getYear();
    year(y, column);
    out.raw((byte) '"');
    String ys = Integer.toString(y);
    for (int i = ys.length(); i < 4; i++) out.raw((byte) '0');
    out.ascii(ys).raw((byte) '-').ascii(twoDigits(t.getMonthValue())).raw((byte) '-').ascii(twoDigits(t.getDayOfMonth()))
        .raw((byte) ' ').ascii(twoDigits(t.getHour())).raw((byte) ':').ascii(twoDigits(t.getMinute()))
        .raw((byte) ':').ascii(twoDigits(t.getSecond()));
    fraction(t.getNano(), out);
    out.raw((byte) '"');
  }
}
