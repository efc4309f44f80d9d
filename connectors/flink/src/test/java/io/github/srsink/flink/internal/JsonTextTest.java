package io.github.srsink.flink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Random;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

/**
 * The digit-by-digit formatters against what java.time and BigDecimal print (the connector's
 * text before them), over edge cases and many random values: the JSON must not change.
 */
class JsonTextTest {
  private static final Random RND = new Random(20261203);

  private static String text(java.util.function.Consumer<JsonBuffer> w) {
    JsonBuffer out = new JsonBuffer(1); // the smallest buffer: every write must make its own room
    w.accept(out);
    return out.toString();
  }

  /** The text before: java.time fields, micro fraction only when non-zero. */
  private static String reference(LocalDateTime t) {
    String s = String.format("\"%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond());
    int micros = t.getNano() / 1000;
    return s + (micros == 0 ? "" : String.format(".%06d", micros)) + "\"";
  }

  @Test
  void integersAreLongToString() {
    long[] edges = {0, 1, -1, 9, 10, -10, 99, 100, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MIN_VALUE, Integer.MAX_VALUE};
    for (long v : edges) assertEquals(Long.toString(v), text(o -> JsonText.integer(v, o)));
    for (int i = 0; i < 200_000; i++) {
      long v = RND.nextLong() >> RND.nextInt(64);
      assertEquals(Long.toString(v), text(o -> JsonText.integer(v, o)));
    }
  }

  @Test
  void decimalsArePlainStrings() {
    for (int i = 0; i < 300_000; i++) {
      int precision = 1 + RND.nextInt(18);
      int scale = RND.nextInt(precision + 1);
      long bound = BigInteger.TEN.pow(precision).longValueExact();
      long unscaled = RND.nextInt(4) == 0 ? RND.nextInt(1000) - 500 : (RND.nextLong() % bound);
      BigDecimal bd = BigDecimal.valueOf(unscaled, scale);
      DecimalData d = DecimalData.fromUnscaledLong(unscaled, precision, scale);
      assertTrue(d.isCompact());
      assertEquals("\"" + bd.toPlainString() + "\"", text(o -> JsonText.decimal(d, o)), bd.toString());
    }
    // the largest compact ones and the non-compact path
    assertEquals("\"-999999999999999999\"", text(o -> JsonText.decimal(DecimalData.fromUnscaledLong(-999_999_999_999_999_999L, 18, 0), o)));
    assertEquals("\"0.999999999999999999\"", text(o -> JsonText.decimal(DecimalData.fromUnscaledLong(999_999_999_999_999_999L, 18, 18), o)));
    assertEquals("\"-0.000000000000000001\"", text(o -> JsonText.decimal(DecimalData.fromUnscaledLong(-1, 18, 18), o)));
    BigDecimal big = new BigDecimal("-12345678901234567890.123456789012345678");
    assertEquals("\"" + big.toPlainString() + "\"", text(o -> JsonText.decimal(DecimalData.fromBigDecimal(big, 38, 18), o)));
  }

  @Test
  void everyDateOfStarRocksRangeIsLocalDateToString() {
    long first = LocalDate.of(0, 1, 1).toEpochDay();
    long last = LocalDate.of(9999, 12, 31).toEpochDay();
    for (long d = first; d <= last; d++) {
      long day = d;
      String got = text(o -> JsonText.date(day, "c", o));
      String want = "\"" + LocalDate.ofEpochDay(day) + "\"";
      if (!got.equals(want)) assertEquals(want, got, "epoch day " + day);
    }
    for (long d : new long[] {first - 1, last + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      RowConversionException e = assertThrows(RowConversionException.class, () -> text(o -> JsonText.date(d, "c", o)));
      assertTrue(e.getMessage().contains("year " + LocalDate.ofEpochDay(d).getYear() + " "), e.getMessage());
    }
  }

  @Test
  void timesAreHoursMinutesSecondsAndMicros() {
    for (int ms = 0; ms < 86_400_000; ms += 997) {
      int v = ms;
      LocalTime t = LocalTime.ofNanoOfDay(v * 1_000_000L);
      String want = String.format("\"%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond())
          + (t.getNano() == 0 ? "" : String.format(".%06d", t.getNano() / 1000)) + "\"";
      assertEquals(want, text(o -> JsonText.time(v, o)));
    }
    assertEquals("\"23:59:59.999000\"", text(o -> JsonText.time(86_399_999, o)));
    assertEquals("\"00:00:00\"", text(o -> JsonText.time(0, o)));
  }

  @Test
  void timestampsAreTheirLocalDateTimeText() {
    long min = LocalDateTime.of(0, 1, 1, 0, 0).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    for (int i = 0; i < 300_000; i++) {
      long ms = i < 1000 ? -500 + i : min + (long) (RND.nextDouble() * (max - min));
      int nanos = RND.nextInt(3) == 0 ? 0 : RND.nextInt(1_000_000);
      TimestampData t = TimestampData.fromEpochMillis(ms, nanos);
      assertEquals(reference(t.toLocalDateTime()), text(o -> JsonText.timestamp(ms, nanos, "c", o)), t.toString());
    }
    assertEquals("\"0000-01-01 00:00:00\"", text(o -> JsonText.timestamp(min, 0, "c", o)));
    assertEquals("\"9999-12-31 23:59:59.999999\"", text(o -> JsonText.timestamp(max, 999_999, "c", o)));
    assertEquals("\"1969-12-31 23:59:59.999000\"", text(o -> JsonText.timestamp(-1, 0, "c", o)));
    assertThrows(RowConversionException.class, () -> text(o -> JsonText.timestamp(min - 1, 0, "c", o)));
    assertThrows(RowConversionException.class, () -> text(o -> JsonText.timestamp(max + 1, 0, "c", o)));
  }

  /** TIMESTAMP_LTZ through the whole row writer, fixed-offset and region zones. */
  @Test
  void timestampLtzMatchesJavaTimeInFixedAndRegionZones() {
    RowType rt = (RowType) DataTypes.ROW(DataTypes.FIELD("c", DataTypes.TIMESTAMP_LTZ(6))).getLogicalType();
    for (String zone : new String[] {"UTC", "+05:45", "-09:30", "Asia/Shanghai", "America/New_York", "Europe/Lisbon"}) {
      ZoneId z = ZoneId.of(zone);
      RowDataJson json = new RowDataJson(rt, z);
      for (int i = 0; i < 50_000; i++) {
        long ms = (long) ((RND.nextDouble() - 0.3) * 4e12); // ~1843 .. ~2096
        int nanos = RND.nextInt(1_000_000);
        TimestampData t = TimestampData.fromEpochMillis(ms, nanos);
        JsonBuffer out = new JsonBuffer(1);
        json.write(GenericRowData.of(t), out);
        assertEquals("{\"c\":" + reference(LocalDateTime.ofInstant(t.toInstant(), z)) + "}", out.toString(), zone + " " + t);
      }
    }
  }

  /** Strings of many escapes: each escape is longer than its byte, so the buffer must grow midway. */
  @Test
  void stringsOfEscapesGrowTheBuffer() {
    RowType rt = (RowType) DataTypes.ROW(DataTypes.FIELD("c", DataTypes.STRING())).getLogicalType();
    RowDataJson json = new RowDataJson(rt, ZoneId.of("UTC"));
    for (int n : new int[] {1, 7, 64, 1000, 70_000}) {
      StringBuilder s = new StringBuilder();
      StringBuilder want = new StringBuilder("{\"c\":\"");
      for (int i = 0; i < n; i++) {
        char c = "\u0001a\"\\é\n".charAt(i % 6);
        s.append(c);
        want.append(c == 1 ? "\\u0001" : c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : String.valueOf(c));
      }
      JsonBuffer out = new JsonBuffer(1);
      json.write(GenericRowData.of(StringData.fromString(s.toString())), out);
      assertEquals(want.append("\"}").toString(), out.toString());
      assertEquals(out.toString().getBytes(StandardCharsets.UTF_8).length, out.length());
    }
    // An escape in a buffer whose room was just enough for the string byte for byte: the
    // escape's extra bytes need room for the rest of the string too.
    for (int n = 1; n <= 100; n++) {
      for (int at : new int[] {0, n / 2, n - 1}) {
        byte[] s = new byte[n];
        java.util.Arrays.fill(s, (byte) 'a');
        s[at] = '\n';
        String want = "\"" + "a".repeat(at) + "\\n" + "a".repeat(n - at - 1) + "\"";
        for (int filled = 0; filled < 64; filled++) {
          JsonBuffer out = new JsonBuffer(64); // 64 bytes exactly
          for (int i = 0; i < filled; i++) out.raw((byte) '.');
          out.utf8String(s, 0, n, "c", "string");
          assertEquals(".".repeat(filled) + want, out.toString());
        }
      }
    }
  }
}
