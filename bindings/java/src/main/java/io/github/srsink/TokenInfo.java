package io.github.srsink;

/** What {@link Tokens#inspect} reports about a commit token. */
public final class TokenInfo {
  private final ExecutionMode mode;
  private final long checkpointId;
  private final long transactions;

  TokenInfo(ExecutionMode mode, long checkpointId, long transactions) {
    this.mode = mode;
    this.checkpointId = checkpointId;
    this.transactions = transactions;
  }

  public ExecutionMode mode() {
    return mode;
  }

  /** The checkpoint the token was made for. */
  public long checkpointId() {
    return checkpointId;
  }

  /** How many prepared transactions it names; 0: committing it does nothing. */
  public long transactions() {
    return transactions;
  }

  @Override
  public String toString() {
    return "TokenInfo{mode=" + mode + ", checkpointId=" + checkpointId + ", transactions=" + transactions + "}";
  }
}
