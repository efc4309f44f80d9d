package io.github.srsink.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Version 1 of both checkpointed records, the writer state and the committable: instance id
 * (modified UTF-8), connector checkpoint id, token length (-1: no token), token bytes. Each
 * record's serializer keeps its own version number and check, so either can move on alone.
 */
final class TokenRecord {
  final String instanceId;
  final long checkpointId;
  final byte[] token; // null: none

  private TokenRecord(String instanceId, long checkpointId, byte[] token) {
    this.instanceId = instanceId;
    this.checkpointId = checkpointId;
    this.token = token;
  }

  static byte[] write(String instanceId, long checkpointId, byte[] token) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (token == null ? 0 : token.length));
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeUTF(instanceId);
    out.writeLong(checkpointId);
    if (token == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(token.length);
      out.write(token);
    }
    out.flush();
    return bytes.toByteArray();
  }

  static TokenRecord read(byte[] serialized) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
    String instance = in.readUTF();
    long id = in.readLong();
    int n = in.readInt();
    byte[] token = null;
    if (n >= 0) {
      token = new byte[n];
      in.readFully(token);
    }
    return new TokenRecord(instance, id, token);
  }
}
