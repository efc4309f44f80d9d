package io.github.srsink;

import static io.github.srsink.Scenario.ORDERS;
import static io.github.srsink.Scenario.R1;
import static io.github.srsink.Scenario.R1_DUMP;
import static io.github.srsink.Scenario.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** SCENARIOS.md C12: close twice, use after close, scope exit. */
class LifecycleTest extends EmulatorTest {

  @Test
  void c12_closeTwiceAndUseAfterClose() throws Exception {
    Emulator emu = emu();
    Connector c = Connector.create();
    c.addSink("shop.*", Scenario.opts(emu), Scenario.ROOT);
    Sink s = c.open("shop.orders", ORDERS);
    s.write(List.of(R1));
    s.onWatermark(1);
    s.close();
    s.close();
    for (Executable call : List.<Executable>of(() -> s.write(List.of(R2)), () -> s.onWatermark(2),
        () -> s.onCheckpoint(2), () -> s.commit(2), () -> s.abort(2), s::stats)) {
      expect(SinkException.State.class, "SR_SINK_E_STATE", call);
    }
    s.cancel(); // a no-op on a closed sink

    Sink other = c.open("shop.orders", ORDERS);
    c.close();
    assertTrue(other.isClosed());
    other.close();
    expect(SinkException.State.class, "SR_SINK_E_STATE", () -> other.write(List.of(R2)));
    c.close();
    expect(SinkException.State.class, "SR_SINK_E_STATE", () -> c.open("shop.orders", ORDERS));
    assertEquals(List.of(R1_DUMP), emu.dump("shop.orders"));
  }

  @Test
  void c12_scopeExitClosesBothInEitherOrder() throws Exception {
    Emulator emu = emu();
    Connector c;
    Sink s;
    try (Connector cc = Connector.create()) {
      c = cc;
      cc.addSink("shop.*", Scenario.opts(emu), Scenario.ROOT);
      try (Sink ss = cc.open("shop.orders", ORDERS)) {
        s = ss;
        ss.write(List.of(R1));
        ss.onWatermark(1);
      }
    }
    assertTrue(s.isClosed() && c.isClosed());

    Connector c2 = Connector.create();
    c2.addSink("shop.*", Scenario.opts(emu), Scenario.ROOT);
    Sink s2;
    try (Connector cc = c2) {
      s2 = cc.open("shop.orders", ORDERS);
    }
    assertTrue(c2.isClosed() && s2.isClosed());
    try (Sink ignored = s2) {
      // leaving a sink its connector closed is harmless
    }
  }
}
