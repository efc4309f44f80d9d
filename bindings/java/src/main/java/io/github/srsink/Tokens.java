package io.github.srsink;

/**
 * Commit tokens ({@link Sink#onCheckpoint} hands them out as {@code byte[]} for the host to store
 * with its checkpoint). Their format is the library's: decode them only through here.
 */
public final class Tokens {
  private Tokens() {}

  /** Mode, checkpoint id and number of transactions of a token ({@code sr_sink_token_inspect}). */
  public static TokenInfo inspect(byte[] token) {
    return inspect(Library.get(), token);
  }

  public static TokenInfo inspect(Library library, byte[] token) {
    if (token == null) throw SinkException.of(Status.INVALID_ARGUMENT, "token is null");
    long[] out = new long[3];
    NativeBridge.tokenInspect(library.handle, token, out);
    return new TokenInfo(ExecutionMode.of((int) out[0]), out[1], out[2]);
  }
}
