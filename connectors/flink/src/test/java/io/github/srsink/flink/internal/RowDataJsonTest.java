package io.github.srsink.flink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

/** The RowData → JSON conversion, type by type (README, "Types"). */
class RowDataJsonTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** The JSON of a one-column row {c: value} of the given type. */
  static String one(DataType type, Object value) {
    return one(type, value, ZoneId.of("UTC"));
  }

  static String one(DataType type, Object value, ZoneId zone) {
    RowType rt = (RowType) DataTypes.ROW(DataTypes.FIELD("c", type)).getLogicalType();
    JsonBuffer out = new JsonBuffer(16);
    new RowDataJson(rt, zone).write(GenericRowData.of(value), out);
    String s = out.toString();
    assertTrue(s.startsWith("{\"c\":") && s.endsWith("}"), s);
    return s.substring(5, s.length() - 1);
  }

  @Test
  void integersAndBooleans() {
    assertEquals("true", one(DataTypes.BOOLEAN(), true));
    assertEquals("false", one(DataTypes.BOOLEAN(), false));
    assertEquals("-128", one(DataTypes.TINYINT(), (byte) -128));
    assertEquals("32767", one(DataTypes.SMALLINT(), (short) 32767));
    assertEquals("-2147483648", one(DataTypes.INT(), Integer.MIN_VALUE));
    assertEquals("9223372036854775807", one(DataTypes.BIGINT(), Long.MAX_VALUE));
  }

  @Test
  void floatsUseTheShortestTextThatReadsBackTheSameValue() {
    assertEquals("0.1", one(DataTypes.FLOAT(), 0.1f));
    assertEquals("0.1", one(DataTypes.DOUBLE(), 0.1d));
    assertEquals("1.0E-300", one(DataTypes.DOUBLE(), 1e-300));
    assertEquals(1.7976931348623157E308, Double.parseDouble(one(DataTypes.DOUBLE(), Double.MAX_VALUE)));
    assertEquals("-0.0", one(DataTypes.DOUBLE(), -0.0d));
  }

  @Test
  void nanAndInfinityAreRefusedNamingTheColumn() {
    for (Object v : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      RowConversionException e = assertThrows(RowConversionException.class, () -> one(DataTypes.DOUBLE(), v));
      assertEquals("c", e.column());
      assertTrue(e.getMessage().contains("`c`") && e.getMessage().contains(String.valueOf(v)), e.getMessage());
    }
    assertThrows(RowConversionException.class, () -> one(DataTypes.FLOAT(), Float.NaN));
  }

  @Test
  void decimalsAreExactStrings() {
    BigDecimal big = new BigDecimal("12345678901234567890123456.0123456789");
    assertEquals("\"12345678901234567890123456.0123456789\"",
        one(DataTypes.DECIMAL(38, 10), DecimalData.fromBigDecimal(big, 38, 10)));
    assertEquals("\"0.00\"", one(DataTypes.DECIMAL(10, 2), DecimalData.fromBigDecimal(BigDecimal.ZERO, 10, 2)));
    assertEquals("\"-1.50\"", one(DataTypes.DECIMAL(10, 2), DecimalData.fromBigDecimal(new BigDecimal("-1.5"), 10, 2)));
    // no exponent form, even where BigDecimal.toString would use one
    assertEquals("\"0.0000001\"", one(DataTypes.DECIMAL(10, 7), DecimalData.fromBigDecimal(new BigDecimal("1E-7"), 10, 7)));
  }

  @Test
  void datesTimesAndTimestamps() {
    assertEquals("\"2024-02-29\"", one(DataTypes.DATE(), (int) java.time.LocalDate.of(2024, 2, 29).toEpochDay()));
    assertEquals("\"0001-01-01\"", one(DataTypes.DATE(), (int) java.time.LocalDate.of(1, 1, 1).toEpochDay()));
    assertEquals("\"13:05:09\"", one(DataTypes.TIME(0), 13 * 3600_000 + 5 * 60_000 + 9_000));
    assertEquals("\"13:05:09.120000\"", one(DataTypes.TIME(3), 13 * 3600_000 + 5 * 60_000 + 9_120));
    assertEquals("\"2024-01-02 03:04:05\"",
        one(DataTypes.TIMESTAMP(6), TimestampData.fromLocalDateTime(LocalDateTime.of(2024, 1, 2, 3, 4, 5))));
    assertEquals("\"2024-01-02 03:04:05.000007\"",
        one(DataTypes.TIMESTAMP(6), TimestampData.fromLocalDateTime(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 7_000))));
    // nanoseconds beyond StarRocks' microseconds are cut, never rounded into the next second
    assertEquals("\"2024-01-02 03:04:05.999999\"",
        one(DataTypes.TIMESTAMP(9), TimestampData.fromLocalDateTime(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 999_999_999))));
    assertEquals("\"0999-12-31 23:59:59\"",
        one(DataTypes.TIMESTAMP(0), TimestampData.fromLocalDateTime(LocalDateTime.of(999, 12, 31, 23, 59, 59))));
  }

  @Test
  void timestampLtzIsWrittenInTheSessionTimeZone() {
    TimestampData t = TimestampData.fromInstant(Instant.parse("2024-01-01T16:30:00.250Z"));
    assertEquals("\"2024-01-02 00:30:00.250000\"", one(DataTypes.TIMESTAMP_LTZ(3), t, SHANGHAI));
    assertEquals("\"2024-01-01 16:30:00.250000\"", one(DataTypes.TIMESTAMP_LTZ(3), t, ZoneId.of("UTC")));
  }

  @Test
  void yearsOutsideStarRocksRangeAreRefused() {
    RowConversionException e = assertThrows(RowConversionException.class, () ->
        one(DataTypes.TIMESTAMP(0), TimestampData.fromLocalDateTime(LocalDateTime.of(10000, 1, 1, 0, 0))));
    assertTrue(e.getMessage().contains("10000"), e.getMessage());
  }

  @Test
  void stringsAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\"", one(DataTypes.STRING(), StringData.fromString("a\"b\\c")));
    assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u0001\"",
        one(DataTypes.STRING(), StringData.fromString("\n\r\t\b\f\u0000\u001f\u0001")));
    // non-ASCII passes as UTF-8, including 4-byte code points, DEL and U+2028
    String s = "é漢😀\u007f\u2028/";
    assertEquals("\"" + s + "\"", one(DataTypes.STRING(), StringData.fromString(s)));
  }

  @Test
  void invalidUtf8IsRefusedNamingTheColumn() {
    byte[][] bad = {
        {(byte) 0xC3}, // truncated
        {(byte) 0xC0, (byte) 0x80}, // overlong NUL
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // encoded surrogate U+D800
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xFF},
    };
    for (byte[] b : bad) {
      RowConversionException e = assertThrows(RowConversionException.class,
          () -> one(DataTypes.STRING(), StringData.fromBytes(b)));
      assertTrue(e.getMessage().contains("`c`") && e.getMessage().contains("UTF-8"), e.getMessage());
    }
  }

  @Test
  void unpairedSurrogatesInJavaStringsAreRefused() {
    JsonBuffer out = new JsonBuffer(8);
    RowConversionException e = assertThrows(RowConversionException.class, () -> out.string("a\uD800b", "col"));
    assertTrue(e.getMessage().contains("U+D800") && e.getMessage().contains("`col`"), e.getMessage());
    assertThrows(RowConversionException.class, () -> out.string("\uDC00", "col"));
    out.reset();
    out.string("\uD83D\uDE00", "col"); // a pair is fine
    assertEquals("\"😀\"", out.toString());
  }

  @Test
  void binaryIsItsBytesAsAJsonStringAndMustBeUtf8() {
    assertEquals("\"abc\\n\"", one(DataTypes.BYTES(), "abc\n".getBytes(StandardCharsets.UTF_8)));
    RowConversionException e = assertThrows(RowConversionException.class,
        () -> one(DataTypes.VARBINARY(4), new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    assertTrue(e.getMessage().contains("binary value") && e.getMessage().contains("`c`"), e.getMessage());
  }

  @Test
  void arraysMapsAndRowsNest() {
    assertEquals("[1,null,3]", one(DataTypes.ARRAY(DataTypes.INT()), new GenericArrayData(new Integer[] {1, null, 3})));
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(StringData.fromString("a\""), 1);
    m.put(StringData.fromString("b"), null);
    assertEquals("{\"a\\\"\":1,\"b\":null}", one(DataTypes.MAP(DataTypes.STRING(), DataTypes.INT()), new GenericMapData(m)));
    Map<Object, Object> im = new LinkedHashMap<>();
    im.put(7, StringData.fromString("x"));
    assertEquals("{\"7\":\"x\"}", one(DataTypes.MAP(DataTypes.INT(), DataTypes.STRING()), new GenericMapData(im)));
    DataType row = DataTypes.ROW(DataTypes.FIELD("n", DataTypes.INT()), DataTypes.FIELD("d",
        DataTypes.DECIMAL(5, 1)), DataTypes.FIELD("l", DataTypes.ARRAY(DataTypes.STRING())));
    assertEquals("{\"n\":1,\"d\":\"2.5\",\"l\":[\"x\"]}", one(row, GenericRowData.of(1,
        DecimalData.fromBigDecimal(new BigDecimal("2.5"), 5, 1), new GenericArrayData(new Object[] {StringData.fromString("x")}))));
    Map<Object, Object> ms = new LinkedHashMap<>();
    ms.put(StringData.fromString("z"), 2);
    assertEquals("[\"z\",\"z\"]", one(DataTypes.MULTISET(DataTypes.STRING()), new GenericMapData(ms)));
  }

  @Test
  void nullMapKeysAndNestedProblemsNameThePath() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(null, 1);
    RowConversionException e = assertThrows(RowConversionException.class,
        () -> one(DataTypes.MAP(DataTypes.STRING(), DataTypes.INT()), new GenericMapData(m)));
    assertTrue(e.getMessage().contains("NULL"), e.getMessage());
    e = assertThrows(RowConversionException.class,
        () -> one(DataTypes.ARRAY(DataTypes.DOUBLE()), new GenericArrayData(new Double[] {Double.NaN})));
    assertEquals("c[]", e.column());
  }

  @Test
  void nullsAndAFailedRowLeaveNothingBehind() {
    RowType rt = (RowType) DataTypes.ROW(DataTypes.FIELD("a", DataTypes.INT()), DataTypes.FIELD("b", DataTypes.DOUBLE()))
        .getLogicalType();
    RowDataJson json = new RowDataJson(rt, ZoneId.of("UTC"));
    JsonBuffer out = new JsonBuffer(8);
    json.write(GenericRowData.of(null, 1.5), out);
    assertEquals("{\"a\":null,\"b\":1.5}", out.toString());
    int before = out.length();
    assertThrows(RowConversionException.class, () -> json.write(GenericRowData.of(1, Double.NaN), out));
    assertEquals(before, out.length());
  }

  @Test
  void typesWithoutAJsonFormAreRefusedAtPlanning() {
    RowConversionException e = assertThrows(RowConversionException.class,
        () -> RowDataJson.check(DataTypes.INTERVAL(DataTypes.DAY()).getLogicalType(), "iv"));
    assertTrue(e.getMessage().contains("`iv`") && e.getMessage().contains("INTERVAL"), e.getMessage());
  }

  @Test
  void columnNamesAreEscapedKeys() {
    RowType rt = (RowType) DataTypes.ROW(DataTypes.FIELD("we\"ird", DataTypes.INT())).getLogicalType();
    JsonBuffer out = new JsonBuffer(8);
    new RowDataJson(rt, ZoneId.of("UTC")).write(GenericRowData.of(1), out);
    assertEquals("{\"we\\\"ird\":1}", out.toString());
  }
}
