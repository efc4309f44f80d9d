package io.github.srsink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A batch of rows for {@link Sink#write(Batch)}: the rows' JSON bytes back to back in one direct
 * buffer, their end offsets and their ops. The whole batch crosses into the library in one call;
 * the library copies it, so a batch can be cleared and reused right after the write.
 *
 * <p>A row is a {@code Map} (encoded by the binding), or JSON already encoded as a
 * {@code CharSequence} or {@code byte[]} (UTF-8). Not thread-safe.
 */
public final class Batch {
  private ByteBuffer data;
  private int[] ends;
  private byte[] ops;
  private int size;
  private boolean anyDelete;

  public Batch() {
    this(64 * 1024, 256);
  }

  /** A batch with room for about bytes of rows and rows rows before it grows. */
  public Batch(int bytes, int rows) {
    data = ByteBuffer.allocateDirect(Math.max(bytes, 64));
    ends = new int[Math.max(rows, 8)];
    ops = new byte[ends.length];
  }

  public Batch upsert(Object row) {
    return add(Op.UPSERT, row);
  }

  /** A delete needs only the key columns. */
  public Batch delete(Object row) {
    return add(Op.DELETE, row);
  }

  public Batch add(Op op, Object row) {
    if (op == null) throw SinkException.of(Status.INVALID_ARGUMENT, "row " + size + ": op is null");
    byte[] bytes = encode(row, size);
    return add(op, bytes, 0, bytes.length);
  }

  /**
   * A row already encoded as JSON (UTF-8): bytes [off, off + len) of json, copied into the batch
   * (json can be reused right after). For hosts that encode rows into their own reusable buffer:
   * no array per row.
   */
  public Batch add(Op op, byte[] json, int off, int len) {
    if (op == null) throw SinkException.of(Status.INVALID_ARGUMENT, "row " + size + ": op is null");
    if (json == null) throw SinkException.of(Status.INVALID_ARGUMENT, "row " + size + " is a null byte[]");
    if (off < 0 || len < 0 || off > json.length - len) {
      throw SinkException.of(Status.INVALID_ARGUMENT, "row " + size + ": bytes [" + off + ", " + off + " + " + len
          + ") are outside the array of " + json.length);
    }
    if (size == ends.length) {
      ends = Arrays.copyOf(ends, size * 2);
      ops = Arrays.copyOf(ops, size * 2);
    }
    ensure(len);
    data.put(json, off, len);
    ends[size] = data.position();
    ops[size] = op.code();
    anyDelete |= op == Op.DELETE;
    size++;
    return this;
  }

  static byte[] encode(Object row, int index) {
    if (row instanceof byte[]) return (byte[]) row;
    if (row instanceof CharSequence) return row.toString().getBytes(StandardCharsets.UTF_8);
    if (row instanceof Map) {
      try {
        return Json.object((Map<?, ?>) row).getBytes(StandardCharsets.UTF_8);
      } catch (SinkException e) {
        throw SinkException.of(Status.INVALID_ARGUMENT, "row " + index + ": " + e.message());
      }
    }
    throw SinkException.of(Status.INVALID_ARGUMENT, "row " + index + " is a "
        + (row == null ? "null" : row.getClass().getName()) + "; rows are Maps, or JSON as String or byte[]");
  }

  private void ensure(int more) {
    if (data.remaining() >= more) return;
    long need = (long) data.position() + more;
    if (need > Integer.MAX_VALUE - 8) {
      throw SinkException.of(Status.INVALID_ARGUMENT, "batch exceeds 2 GiB; write it in smaller batches");
    }
    ByteBuffer bigger = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * data.capacity())));
    data.flip();
    bigger.put(data);
    data = bigger;
  }

  /** Rows in the batch. */
  public int size() {
    return size;
  }

  /** Bytes of row JSON in the batch. */
  public int bytes() {
    return data.position();
  }

  int capacity() {
    return data.capacity();
  }

  /** Empties the batch, keeping its memory. */
  public Batch clear() {
    data.clear();
    size = 0;
    anyDelete = false;
    return this;
  }

  void writeTo(long lib, long sink) {
    NativeBridge.write(lib, sink, data, ends, anyDelete ? ops : null, size);
  }

  /** Test hook: the glue's marshalling alone. */
  long probe() {
    return NativeBridge.batchProbe(data, ends, anyDelete ? ops : null, size);
  }
}
