package io.github.srsink.flink;

import java.io.IOException;
import java.util.Arrays;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * What a writer hands its committer per checkpoint: the library's commit token (opaque, it names
 * the prepared transactions), with the writer instance and the connector's checkpoint id it was made
 * for (so the committer can commit through the writer's own sink when it lives in the same JVM).
 */
public final class StarRocksCommittable {
  private final String instanceId;
  private final long checkpointId;
  private final byte[] token;

  public StarRocksCommittable(String instanceId, long checkpointId, byte[] token) {
    this.instanceId = instanceId;
    this.checkpointId = checkpointId;
    this.token = token;
  }

  public String instanceId() {
    return instanceId;
  }

  /** The connector's checkpoint id (README, "Checkpoint ids"), not Flink's. */
  public long checkpointId() {
    return checkpointId;
  }

  public byte[] token() {
    return token;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StarRocksCommittable)) return false;
    StarRocksCommittable c = (StarRocksCommittable) o;
    return instanceId.equals(c.instanceId) && checkpointId == c.checkpointId && Arrays.equals(token, c.token);
  }

  @Override
  public int hashCode() {
    return instanceId.hashCode() * 31 + Long.hashCode(checkpointId);
  }

  @Override
  public String toString() {
    return "StarRocksCommittable{instance=" + instanceId + ", checkpoint=" + checkpointId + ", token=" + token.length + " bytes}";
  }

  /** Version 1: TokenRecord, always with a token. */
  public static final class Serializer implements SimpleVersionedSerializer<StarRocksCommittable> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(StarRocksCommittable c) throws IOException {
      return TokenRecord.write(c.instanceId, c.checkpointId, c.token);
    }

    @Override
    public StarRocksCommittable deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("StarRocks committable of serializer version " + version
            + " cannot be read by this connector (it reads version 1); use the connector version that wrote the checkpoint");
      }
      TokenRecord r = TokenRecord.read(serialized);
      if (r.token == null) throw new IOException("StarRocks committable of " + r.instanceId + " holds no commit token");
      return new StarRocksCommittable(r.instanceId, r.checkpointId, r.token);
    }
  }
}
