package io.github.srsink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The natives of the JNI glue (src/main/native/sr_sink_jni.c, registered in its JNI_OnLoad).
 * Handles are the glue's pointers as longs; strings go in as NUL-terminated UTF-8 ({@link #cstr})
 * and come back as UTF-8 bytes. A library error is thrown as a {@link SinkException}.
 */
final class NativeBridge {
  private NativeBridge() {}

  static native long load(byte[] path, int hostAbiVersion, int vtableSize);
  /** Test hook: the size of the ABI 1.0 function table. */
  static native int vtableSize10();
  static native int abiVersion(long lib);
  static native byte[] versionString(long lib);
  static native byte[] buildInfo(long lib);
  static native byte[] statusName(long lib, int status);
  static native int rawGetVtable(long lib, int hostAbiVersion);

  static native long connectorNew(long lib, int logLevel, LogBridge log);
  static native void connectorRegister(long lib, long connector, byte[] glob, byte[] options,
      CredentialsBridge credentials, RejectedRowsBridge rejected, boolean useRegister);
  static native void connectorFree(long lib, long connector);
  static native void commitToken(long lib, long connector, byte[] token);
  static native void tokenInspect(long lib, byte[] token, long[] out);

  static native long open(long lib, long connector, byte[] table, byte[][] columns, byte[] instanceId,
      byte[] restoreToken, byte[][] keyColumns);
  static native void write(long lib, long sink, ByteBuffer data, int[] ends, byte[] ops, int n);
  static native void onWatermark(long lib, long sink, long watermark);
  static native byte[] onCheckpoint(long lib, long sink, long checkpointId);
  static native void commit(long lib, long sink, long checkpointId);
  static native void abort(long lib, long sink, long checkpointId);
  static native void cancel(long lib, long sink);
  static native void close(long lib, long sink);
  static native void stats(long lib, long sink, long[] out);

  /** Test hook: the marshalling of {@link #write} without the library call. */
  static native long batchProbe(ByteBuffer data, int[] ends, byte[] ops, int n);
  /** Test hook: takes a fake library token; counters = {releases, release cleared}. */
  static native byte[] testTakeFakeToken(int[] counters);

  /** NUL-terminated UTF-8 of s; a NUL inside s would cut it short, so it is refused. */
  static byte[] cstr(String what, String s) {
    if (s == null) throw SinkException.of(Status.INVALID_ARGUMENT, what + " is null");
    if (s.indexOf('\0') >= 0) throw SinkException.of(Status.INVALID_ARGUMENT, what + " contains a NUL character");
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  static String str(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
