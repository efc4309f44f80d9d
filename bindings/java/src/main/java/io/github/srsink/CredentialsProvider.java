package io.github.srsink;

/**
 * Gives the credentials for the next HTTP request of a sink. Called before every request (so a
 * rotated secret is picked up) and once more with {@code afterAuthFailure} true after StarRocks
 * answered 401 for the previous credentials: re-read the secret store then.
 *
 * <p>Called on library threads, concurrently for different sinks: it must be thread-safe and
 * must not call back into the library. Throwing (or returning null) fails that request with
 * {@link SinkException.Auth}; it never crashes the process. The library keeps the provider
 * reachable until the connector is closed.
 */
@FunctionalInterface
public interface CredentialsProvider {
  /**
   * @param table "db.table" of the sink making the request
   * @param afterAuthFailure true once after StarRocks refused the previous credentials
   */
  Credentials get(String table, boolean afterAuthFailure) throws Exception;

  /** Fixed credentials. */
  static CredentialsProvider of(String user, String password) {
    Credentials c = Credentials.of(user, password);
    return (table, afterAuthFailure) -> c;
  }
}
