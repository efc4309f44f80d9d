package io.github.srsink.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/**
 * The checkpointed bytes of the committable and the writer state (version 1), pinned: a restore
 * reads what an earlier run of the connector wrote.
 */
class CheckpointFormatTest {
  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) b.append(String.format("%02x", x));
    return b.toString();
  }

  @Test
  void theCommittableIsInstanceCheckpointIdAndToken() throws Exception {
    StarRocksCommittable.Serializer s = new StarRocksCommittable.Serializer();
    assertEquals(1, s.getVersion());
    byte[] bytes = s.serialize(new StarRocksCommittable("job/w/0", 7, new byte[] {1, 2, 3}));
    assertEquals("00076a6f622f772f30" + "0000000000000007" + "00000003" + "010203", hex(bytes));
    StarRocksCommittable c = s.deserialize(1, bytes);
    assertEquals(new StarRocksCommittable("job/w/0", 7, new byte[] {1, 2, 3}), c);
  }

  @Test
  void theWriterStateIsInstanceCheckpointIdAndTokenOrNone() throws Exception {
    StarRocksWriterState.Serializer s = new StarRocksWriterState.Serializer();
    assertEquals(1, s.getVersion());
    byte[] bytes = s.serialize(new StarRocksWriterState("job/w/1", 258, new byte[] {9}));
    assertEquals("00076a6f622f772f31" + "0000000000000102" + "00000001" + "09", hex(bytes));
    StarRocksWriterState w = s.deserialize(1, bytes);
    assertEquals("job/w/1", w.instanceId());
    assertEquals(258, w.checkpointId());
    assertArrayEquals(new byte[] {9}, w.token());

    bytes = s.serialize(new StarRocksWriterState("job/w/1", 0, null));
    assertEquals("00076a6f622f772f31" + "0000000000000000" + "ffffffff", hex(bytes));
    assertNull(s.deserialize(1, bytes).token());
  }

  @Test
  void anotherVersionIsRefusedNamingIt() {
    IOException e = assertThrows(IOException.class, () -> new StarRocksCommittable.Serializer().deserialize(2, new byte[0]));
    assertTrue(e.getMessage().contains("committable of serializer version 2"), e.getMessage());
    e = assertThrows(IOException.class, () -> new StarRocksWriterState.Serializer().deserialize(2, new byte[0]));
    assertTrue(e.getMessage().contains("writer state of serializer version 2"), e.getMessage());
  }
}
