package io.github.srsink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** What the JNI glue calls for credentials: never throws, answers "user\0password" or null. */
final class CredentialsBridge {
  // sr_sink.h: SR_SINK_CREDENTIAL_USER_MAX / _PASSWORD_MAX, NUL included.
  static final int USER_MAX = 256;
  static final int PASSWORD_MAX = 1024;

  private final CredentialsProvider provider;
  private final CallbackErrors errors;

  CredentialsBridge(CredentialsProvider provider, CallbackErrors errors) {
    this.provider = provider;
    this.errors = errors;
  }

  /** Called by the glue (any thread). The glue copies the answer and then zeroes it. */
  byte[] get(byte[] table, boolean afterAuthFailure) {
    String t = NativeBridge.str(table);
    InCallback.enter();
    try {
      Credentials c = provider.get(t, afterAuthFailure);
      if (c == null) throw new IllegalStateException("the credentials provider returned null");
      byte[] user = c.user().getBytes(StandardCharsets.UTF_8);
      byte[] password = c.password().getBytes(StandardCharsets.UTF_8);
      try {
        if (user.length >= USER_MAX || password.length >= PASSWORD_MAX) {
          throw new IllegalArgumentException("user or password too long (limits " + (USER_MAX - 1) + " and "
              + (PASSWORD_MAX - 1) + " UTF-8 bytes)");
        }
        if (c.user().indexOf('\0') >= 0 || c.password().indexOf('\0') >= 0) {
          throw new IllegalArgumentException("user or password contains a NUL character");
        }
        byte[] out = new byte[user.length + 1 + password.length];
        System.arraycopy(user, 0, out, 0, user.length);
        System.arraycopy(password, 0, out, user.length + 1, password.length);
        return out;
      } finally {
        Arrays.fill(password, (byte) 0);
      }
    } catch (Throwable e) {
      errors.report("credentials provider for " + t, e);
      return null;
    } finally {
      InCallback.exit();
    }
  }
}
