package io.github.srsink.flink;

import java.io.IOException;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A writer's state in a checkpoint (exactly-once only): its instance id (the library's
 * {@code instance_id}, part of every transaction label), the last connector checkpoint id it used,
 * and the commit token of that checkpoint. A restored writer reopens its sink with that token:
 * the library commits what the token names and rolls back anything the instance began after it.
 */
public final class StarRocksWriterState {
  private final String instanceId;
  private final long checkpointId;
  private final byte[] token; // null: no checkpoint taken yet

  public StarRocksWriterState(String instanceId, long checkpointId, byte[] token) {
    this.instanceId = instanceId;
    this.checkpointId = checkpointId;
    this.token = token;
  }

  public String instanceId() {
    return instanceId;
  }

  public long checkpointId() {
    return checkpointId;
  }

  public byte[] token() {
    return token;
  }

  @Override
  public String toString() {
    return "StarRocksWriterState{instance=" + instanceId + ", checkpoint=" + checkpointId + ", token="
        + (token == null ? "none" : token.length + " bytes") + "}";
  }

  /** Version 1: TokenRecord (no token before the first checkpoint). */
  public static final class Serializer implements SimpleVersionedSerializer<StarRocksWriterState> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(StarRocksWriterState s) throws IOException {
      return TokenRecord.write(s.instanceId, s.checkpointId, s.token);
    }

    @Override
    public StarRocksWriterState deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("StarRocks writer state of serializer version " + version
            + " cannot be read by this connector (it reads version 1)");
      }
      TokenRecord r = TokenRecord.read(serialized);
      return new StarRocksWriterState(r.instanceId, r.checkpointId, r.token);
    }
  }
}
