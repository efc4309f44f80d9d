package io.github.srsink.flink.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that JSON rows are written into as UTF-8. Strings are escaped here, the
 * only place that does it: '"', '\\' and every control character below U+0020 become escapes; other
 * characters are copied as UTF-8. Text that is not valid Unicode (an unpaired surrogate in a Java
 * String, a malformed UTF-8 sequence in Flink's binary strings) is refused with
 * {@link RowConversionException} naming the column, because StarRocks' JSON parser refuses it too
 * and silently replacing it would change the data. Not thread-safe.
 */
public final class JsonBuffer {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private byte[] buf;
  private int len;

  public JsonBuffer(int capacity) {
    buf = new byte[Math.max(capacity, 64)];
  }

  public int length() {
    return len;
  }

  public void reset() {
    len = 0;
  }

  /** Drops what was written after mark (a row that failed halfway). */
  public void truncate(int mark) {
    len = mark;
  }

  /**
   * The backing array: bytes [0, length()) are the JSON written so far. Valid until the next
   * write (a write may grow it into a new array); for handing a row on without a copy.
   */
  public byte[] array() {
    return buf;
  }

  /** Makes room for n bytes, counts them as written and returns where they start in array(). */
  int reserve(int n) {
    ensure(n);
    int at = len;
    len += n;
    return at;
  }

  /** A copy of bytes [from, length()). */
  public byte[] copy(int from) {
    return Arrays.copyOfRange(buf, from, len);
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }

  private void ensure(int more) {
    if (buf.length - len >= more) return;
    long need = (long) len + more;
    if (need > Integer.MAX_VALUE - 8) throw new IllegalStateException("JSON row larger than 2 GiB");
    buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * buf.length)));
  }

  public JsonBuffer raw(byte b) {
    ensure(1);
    buf[len++] = b;
    return this;
  }

  /** Bytes that need no escaping (literals, our own pre-escaped keys). */
  public JsonBuffer raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  /** ASCII text that needs no escaping (numbers, literals, our own keys). */
  public JsonBuffer ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    return this;
  }

  /** A JSON string from a Java String. */
  public JsonBuffer string(String s, String column) {
    ensure(s.length() + 2);
    buf[len++] = '"';
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        escapeAscii(c);
      } else if (c < 0x800) {
        ensure(2);
        buf[len++] = (byte) (0xC0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          ensure(4);
          buf[len++] = (byte) (0xF0 | (cp >> 18));
          buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          throw new RowConversionException(column, String.format(
              "the string has an unpaired surrogate U+%04X at index %d (not valid Unicode; StarRocks' JSON parser refuses it)",
              (int) c, i));
        }
      } else {
        ensure(3);
        buf[len++] = (byte) (0xE0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    ensure(1);
    buf[len++] = '"';
    return this;
  }

  /**
   * A JSON string from UTF-8 bytes (Flink's StringData, or BINARY bytes sent as text): validated
   * as UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), escaped, copied.
   */
  public JsonBuffer utf8String(byte[] b, int off, int n, String column, String what) {
    // Room for the quotes and every byte copied as it is; an escape (longer than its byte)
    // makes room again for itself and the rest.
    ensure(n + 2);
    byte[] d = buf;
    int o = len;
    d[o++] = '"';
    int end = off + n;
    int i = off;
    while (i < end) {
      int c = b[i];
      if (c >= 0x20 && c != '"' && c != '\\') { // plain ASCII (c < 0 for bytes >= 0x80)
        d[o++] = (byte) c;
        i++;
        continue;
      }
      if (c >= 0) { // a control character, '"' or '\\'
        len = o;
        ensure(6 + (end - i) + 1);
        escapeAscii((char) c);
        d = buf;
        o = len;
        i++;
        continue;
      }
      int seq = utf8SequenceLength(b, i, end);
      if (seq == 0) {
        len = o;
        throw new RowConversionException(column, String.format(
            "the %s is not valid UTF-8 (byte 0x%02x at offset %d); StarRocks' JSON load takes a string's bytes as they are and refuses invalid UTF-8",
            what, c & 0xFF, i - off));
      }
      System.arraycopy(b, i, d, o, seq);
      o += seq;
      i += seq;
    }
    d[o++] = '"';
    len = o;
    return this;
  }

  /** Length of the well-formed UTF-8 sequence at b[i] (lead byte >= 0x80), or 0 if malformed. */
  static int utf8SequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    if (c >= 0xC2 && c <= 0xDF) {
      return i + 1 < end && cont(b[i + 1]) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 >= end || !cont(b[i + 1]) || !cont(b[i + 2])) return 0;
      int c1 = b[i + 1] & 0xFF;
      if (c == 0xE0 && c1 < 0xA0) return 0; // overlong
      if (c == 0xED && c1 >= 0xA0) return 0; // UTF-16 surrogate
      return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (i + 3 >= end || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) return 0;
      int c1 = b[i + 1] & 0xFF;
      if (c == 0xF0 && c1 < 0x90) return 0; // overlong
      if (c == 0xF4 && c1 >= 0x90) return 0; // above U+10FFFF
      return 4;
    }
    return 0;
  }

  private static boolean cont(byte x) {
    return (x & 0xC0) == 0x80;
  }

  private void escapeAscii(char c) {
    ensure(6);
    switch (c) {
      case '"':
        buf[len++] = '\\';
        buf[len++] = '"';
        return;
      case '\\':
        buf[len++] = '\\';
        buf[len++] = '\\';
        return;
      case '\n':
        buf[len++] = '\\';
        buf[len++] = 'n';
        return;
      case '\r':
        buf[len++] = '\\';
        buf[len++] = 'r';
        return;
      case '\t':
        buf[len++] = '\\';
        buf[len++] = 't';
        return;
      case '\b':
        buf[len++] = '\\';
        buf[len++] = 'b';
        return;
      case '\f':
        buf[len++] = '\\';
        buf[len++] = 'f';
        return;
      default:
        if (c < 0x20) {
          buf[len++] = '\\';
          buf[len++] = 'u';
          buf[len++] = '0';
          buf[len++] = '0';
          buf[len++] = HEX[c >> 4];
          buf[len++] = HEX[c & 0xF];
        } else {
          buf[len++] = (byte) c;
        }
    }
  }
}
