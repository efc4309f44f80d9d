package io.github.srsink;

import static io.github.srsink.Scenario.ROOT;
import static io.github.srsink.Scenario.opts;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ABI 1.1 key_columns: open checks the host's declared primary key against the table's. */
class KeyColumnsTest extends EmulatorTest {

  @Test
  void openRefusesAHostKeyThatIsNotTheTablesPrimaryKey() throws Exception {
    Emulator emu = emu();
    List<String> cols = List.of("id", "name", "amount");
    try (Connector c = Connector.create()) {
      c.addSink("shop.*", opts(emu), ROOT);
      SinkException e = expect(SinkException.Schema.class, "SR_SINK_E_SCHEMA",
          () -> c.open("shop.orders", cols, null, null, List.of("id", "name")));
      assertContains(e.message(),
          "the primary key of shop.orders is (`id`), but the host declared (`id`, `name`)");
      try (Sink s = c.open("shop.orders", cols, null, null, List.of("id"))) {
        assertFalse(s.isClosed());
      }
    }
  }
}
