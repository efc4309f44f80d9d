package io.github.srsink;

/** What a row does: {@code SR_SINK_OP_UPSERT} or {@code SR_SINK_OP_DELETE} (needs only the key columns). */
public enum Op {
  UPSERT(0),
  DELETE(1);

  private final byte code;

  Op(int code) {
    this.code = (byte) code;
  }

  public byte code() {
    return code;
  }
}
