package io.github.srsink;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Encodes a row given as a Map into one JSON object (the library takes rows as JSON). Values:
 * null, CharSequence, Character, Boolean, integral numbers, BigDecimal (plain notation: send
 * decimals as BigDecimal or as strings, never through a double), finite Double/Float, nested
 * Map, Iterable and arrays. Anything else is an {@link SinkException.InvalidArgument} naming it.
 */
final class Json {
  private Json() {}

  static String object(Map<?, ?> row) {
    StringBuilder b = new StringBuilder(16 * row.size() + 2);
    value(b, row, "row");
    return b.toString();
  }

  private static void value(StringBuilder b, Object v, String where) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof CharSequence || v instanceof Character) {
      string(b, v.toString());
    } else if (v instanceof Boolean) {
      b.append(((Boolean) v).booleanValue());
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger) {
      b.append(v);
    } else if (v instanceof BigDecimal) {
      b.append(((BigDecimal) v).toPlainString());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw SinkException.of(Status.INVALID_ARGUMENT, where + " is " + d + ", which JSON cannot carry");
      }
      b.append(v);
    } else if (v instanceof Map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof CharSequence)) {
          throw SinkException.of(Status.INVALID_ARGUMENT, where + " has a key that is not a string: " + e.getKey());
        }
        if (!first) b.append(',');
        first = false;
        String key = e.getKey().toString();
        string(b, key);
        b.append(':');
        value(b, e.getValue(), where + "." + key);
      }
      b.append('}');
    } else if (v instanceof Iterable) {
      b.append('[');
      int i = 0;
      for (Object o : (Iterable<?>) v) {
        if (i > 0) b.append(',');
        value(b, o, where + "[" + i++ + "]");
      }
      b.append(']');
    } else if (v instanceof Object[]) {
      Object[] a = (Object[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) b.append(',');
        value(b, a[i], where + "[" + i + "]");
      }
      b.append(']');
    } else {
      throw SinkException.of(Status.INVALID_ARGUMENT, where + " is a " + v.getClass().getName()
          + ", which the binding does not encode as JSON (pass a string, number, boolean, map or list)");
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
