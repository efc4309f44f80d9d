package io.github.srsink.flink.internal;

import java.time.LocalDateTime;

import org.apache.flink.table.data.DecimalData;

/**
 * The text of numbers, decimals, dates, times and timestamps, written digit by digit straight into
 * a {@link JsonBuffer}: no String, LocalDateTime or BigDecimal per value (they were most of the
 * connector's own CPU per row). The text is exactly what java.time's and BigDecimal's formatting
 * gave before (RowDataJsonTest and JsonTextTest compare both over edge cases and random values):
 * <ul>
 *   <li>integers: Long.toString;</li>
 *   <li>DECIMAL: BigDecimal.toPlainString, in quotes;</li>
 *   <li>DATE "yyyy-MM-dd" (proleptic Gregorian, ISO years, as LocalDate); years outside
 *       0000..9999 are refused naming the column;</li>
 *   <li>TIME "HH:mm:ss[.ffffff]", TIMESTAMP "yyyy-MM-dd HH:mm:ss[.ffffff]": the fraction in
 *       microseconds (finer digits cut, never rounded), six digits, left out when zero.</li>
 * </ul>
 */
final class JsonText {
  private JsonText() {}

  static final long MILLIS_PER_DAY = 86_400_000L;
  private static final byte[] LONG_MIN = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Decimal digits of v (Long.toString). */
  static void integer(long v, JsonBuffer out) {
    if (v == Long.MIN_VALUE) {
      out.raw(LONG_MIN);
      return;
    }
    boolean neg = v < 0;
    long u = neg ? -v : v;
    int n = digitCount(u);
    int at = out.reserve(n + (neg ? 1 : 0));
    byte[] b = out.array();
    if (neg) b[at++] = '-';
    writeDigits(b, at, n, u);
  }

  /** The number of decimal digits of u >= 0 (1 for 0). */
  static int digitCount(long u) {
    int n = 1;
    for (long p = 10; n < 19 && u >= p; p *= 10) n++;
    return n;
  }

  /** u's n lowest decimal digits, zero-padded, into b[at, at + n). */
  private static void writeDigits(byte[] b, int at, int n, long u) {
    for (int i = at + n - 1; i >= at; i--) {
      b[i] = (byte) ('0' + (int) (u % 10));
      u /= 10;
    }
  }

  /** BigDecimal.toPlainString of the decimal, in quotes. */
  static void decimal(DecimalData d, JsonBuffer out) {
    int scale = d.scale();
    if (!d.isCompact() || scale < 0) {
      out.raw((byte) '"').ascii(d.toBigDecimal().toPlainString()).raw((byte) '"');
      return;
    }
    // Compact: precision <= 18, so |unscaled| < 10^18 (no overflow on negation).
    long u = d.toUnscaledLong();
    boolean neg = u < 0;
    if (neg) u = -u;
    int digits = digitCount(u);
    // toPlainString: the integer part is at least "0"; the fraction has exactly `scale` digits.
    int intDigits = Math.max(1, digits - scale);
    int n = 2 + (neg ? 1 : 0) + intDigits + (scale > 0 ? 1 + scale : 0);
    int at = out.reserve(n);
    byte[] b = out.array();
    b[at++] = '"';
    if (neg) b[at++] = '-';
    if (scale == 0) {
      writeDigits(b, at, intDigits, u);
      at += intDigits;
    } else {
      long pow = 1;
      for (int i = 0; i < scale; i++) pow *= 10; // scale <= 18 for a compact decimal
      writeDigits(b, at, intDigits, u / pow);
      at += intDigits;
      b[at++] = '.';
      writeDigits(b, at, scale, u % pow);
      at += scale;
    }
    b[at] = '"';
  }

  /** "yyyy-MM-dd" of an epoch day, in quotes. */
  static void date(long epochDay, String column, JsonBuffer out) {
    int at = out.reserve(12);
    byte[] b = out.array();
    b[at] = '"';
    ymd(epochDay, column, b, at + 1);
    b[at + 11] = '"';
  }

  /** "HH:mm:ss[.ffffff]" of a millisecond of the day, in quotes. */
  static void time(int millisOfDay, JsonBuffer out) {
    int at = out.reserve(10);
    byte[] b = out.array();
    b[at] = '"';
    hms(millisOfDay / 1000, b, at + 1);
    b[at + 9] = '"';
    fraction((millisOfDay % 1000) * 1000, out);
  }

  /** "yyyy-MM-dd HH:mm:ss[.ffffff]" of epoch milliseconds + nanoseconds of the millisecond, in quotes. */
  static void timestamp(long epochMillis, int nanoOfMilli, String column, JsonBuffer out) {
    long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    int at = out.reserve(21);
    byte[] b = out.array();
    b[at] = '"';
    ymd(day, column, b, at + 1);
    b[at + 11] = ' ';
    hms(millisOfDay / 1000, b, at + 12);
    b[at + 20] = '"';
    fraction((millisOfDay % 1000) * 1000 + nanoOfMilli / 1000, out);
  }

  /** The same from a LocalDateTime (TIMESTAMP_LTZ in a zone with offset changes). */
  static void dateTime(LocalDateTime t, String column, JsonBuffer out) {
    year(t.getYear(), column);
    int at = out.reserve(21);
    byte[] b = out.array();
    b[at] = '"';
    writeDigits(b, at + 1, 4, t.getYear());
    b[at + 5] = '-';
    writeDigits(b, at + 6, 2, t.getMonthValue());
    b[at + 8] = '-';
    writeDigits(b, at + 9, 2, t.getDayOfMonth());
    b[at + 11] = ' ';
    hms(t.getHour() * 3600 + t.getMinute() * 60 + t.getSecond(), b, at + 12);
    b[at + 20] = '"';
    fraction(t.getNano() / 1000, out);
  }

  /**
   * The closing quote is already written: a non-zero fraction goes in front of it as
   * ".ffffff" (microseconds, six digits).
   */
  private static void fraction(int micros, JsonBuffer out) {
    if (micros == 0) return;
    int at = out.reserve(7) - 1; // over the closing quote
    byte[] b = out.array();
    b[at] = '.';
    writeDigits(b, at + 1, 6, micros);
    b[at + 7] = '"';
  }

  /** "HH:mm:ss" of a second of the day into b[at, at + 8). */
  private static void hms(int secondOfDay, byte[] b, int at) {
    writeDigits(b, at, 2, secondOfDay / 3600);
    b[at + 2] = ':';
    writeDigits(b, at + 3, 2, secondOfDay / 60 % 60);
    b[at + 5] = ':';
    writeDigits(b, at + 6, 2, secondOfDay % 60);
  }

  /**
   * "yyyy-MM-dd" of an epoch day into b[at, at + 10): the proleptic Gregorian calendar of
   * java.time (days from civil, H. Hinnant's algorithm, in 400-year eras).
   */
  private static void ymd(long epochDay, String column, byte[] b, int at) {
    long z = epochDay + 719_468; // days since 0000-03-01
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097; // [0, 146096]
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365], from March 1st
    long mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long y = yoe + era * 400 + (month <= 2 ? 1 : 0);
    year(y, column);
    writeDigits(b, at, 4, y);
    b[at + 4] = '-';
    writeDigits(b, at + 5, 2, month);
    b[at + 7] = '-';
    writeDigits(b, at + 8, 2, day);
  }

  static void year(long y, String column) {
    if (y < 0 || y > 9999) {
      throw new RowConversionException(column, "year " + y + " is outside StarRocks' DATE/DATETIME range 0000..9999");
    }
  }
}
