package io.github.srsink;

import static io.github.srsink.Scenario.ORDERS;
import static io.github.srsink.Scenario.R1;
import static io.github.srsink.Scenario.R1_DUMP;
import static io.github.srsink.Scenario.R2;
import static io.github.srsink.Scenario.R2_DUMP;
import static io.github.srsink.Scenario.R3;
import static io.github.srsink.Scenario.R3_DUMP;
import static io.github.srsink.Scenario.ROOT;
import static io.github.srsink.Scenario.opts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SCENARIOS.md C08, C09, C18: checkpoints, tokens, recovery after the host JVM is killed. */
class CheckpointScenariosTest extends EmulatorTest {

  @Test
  void c08_onCheckpointTokenCommitVisible() throws Exception {
    Emulator emu = emu();
    Connector c = connector(emu, "on_checkpoint");
    try (Sink s = c.open("shop.orders", ORDERS, "conf/c08/0", null)) {
      s.write(List.of(R1, R2));
      byte[] token = s.onCheckpoint(1);
      assertTrue(token.length > 0);

      assertEquals(List.of(), emu.dump("shop.orders"));
      Map<String, Map<String, Object>> prepared = emu.txnLabels("PREPARED");
      assertEquals(1, prepared.size(), prepared.toString());
      String label1 = prepared.keySet().iterator().next();

      s.commit(1);
      assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));
      assertEquals("VISIBLE", emu.txnLabels(null).get(label1).get("state"));
      assertEquals(1L, emu.txnLabels(null).get(label1).get("commits"));

      s.commit(1); // idempotent
      assertEquals(1L, emu.txnLabels(null).get(label1).get("commits"));

      s.write(List.of(R3));
      assertTrue(s.onCheckpoint(2).length > 0);
      Set<String> others = new HashSet<>(emu.txnLabels(null).keySet());
      others.remove(label1);
      assertEquals(1, others.size(), others.toString());
      String label2 = others.iterator().next();
      s.onWatermark(5); // a no-op in this mode
      s.abort(2);
      assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));
      assertEquals("ABORTED", emu.txnLabels(null).get(label2).get("state"));

      // ABI 1.1: after an abort the sink is failed; the host reopens from its last durable token.
      for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
          () -> s.write(List.of(R3)), () -> s.onCheckpoint(3), () -> s.commit(2))) {
        SinkException e = expect(SinkException.State.class, "SR_SINK_E_STATE", call);
        assertContainsCi(e.message(), "aborted");
        assertContains(e.message(), "2");
      }
      assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));
    } // close → OK
  }

  /** Runs ChildHost in a child JVM, waits for "ready", kills it with SIGKILL. */
  private static void runChildAndKill(String scenario, Emulator emu, Path tokenFile) throws Exception {
    Process child = TestSupport.childJvm(ChildHost.class.getName(), scenario, emu.url, tokenFile.toString())
        .redirectError(tokenFile.resolveSibling(scenario + "-child.stderr").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertEquals("ready", ready, () -> "child said " + ready + "; stderr: " + readQuietly(tokenFile.resolveSibling(scenario + "-child.stderr")));
    } finally {
      // Process.destroyForcibly is SIGKILL on Linux: the host dies with prepared transactions.
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(137, child.exitValue(), "child was not killed by SIGKILL");
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "(" + e + ")";
    }
  }

  @Test
  void c09_recoveryAfterTheHostProcessIsKilled() throws Exception {
    Emulator emu = emu();
    Path tokenFile = tmp.resolve("checkpoint-1.token");
    runChildAndKill("c09", emu, tokenFile);

    byte[] token1 = Files.readAllBytes(tokenFile);
    assertTrue(token1.length > 0);
    assertEquals(List.of(), emu.dump("shop.orders"));
    assertEquals(2, emu.txnLabels("PREPARED").size(), emu.labels(null).toString());

    Connector c = connector(emu, "on_checkpoint");
    String visible1;
    byte[] token3;
    try (Sink s = c.open("shop.orders", ORDERS, "conf/c09/0", token1)) {
      assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));
      Map<String, Map<String, Object>> txns = emu.txnLabels(null);
      Map<String, Map<String, Object>> visible = emu.txnLabels("VISIBLE");
      assertEquals(1, visible.size(), txns.toString());
      visible1 = visible.keySet().iterator().next();
      assertEquals(1L, visible.get(visible1).get("commits"));
      txns.forEach((k, v) -> assertTrue(!v.get("state").equals("PREPARE") && !v.get("state").equals("PREPARED"), k + " " + v));

      s.write(List.of(R3));
      token3 = s.onCheckpoint(3);
      s.commit(3);
      assertEquals(List.of(R1_DUMP, R2_DUMP, R3_DUMP), emu.dump("shop.orders"));
    }
    Set<String> visible = new HashSet<>(emu.txnLabels("VISIBLE").keySet());
    visible.remove(visible1);
    assertEquals(1, visible.size());
    String label3 = visible.iterator().next();

    try (Sink s = c.open("shop.orders", ORDERS, "conf/c09/0", token3)) {
      assertEquals(List.of(R1_DUMP, R2_DUMP, R3_DUMP), emu.dump("shop.orders"));
      assertEquals(1L, emu.txnLabels(null).get(label3).get("commits"));
    }
  }

  /**
   * C18, and the binding's own check: a token stored by a writer JVM that was then killed is
   * committed exactly once by a second Connector with no sink open; committing it twice is OK.
   */
  @Test
  void c18_commitAStoredTokenWithNoSinkOpen() throws Exception {
    Emulator emu = emu();
    Path tokenFile = tmp.resolve("checkpoint-1.token");
    runChildAndKill("c18", emu, tokenFile);
    byte[] token = Files.readAllBytes(tokenFile);
    assertEquals(List.of(), emu.dump("shop.orders"));
    Map<String, Map<String, Object>> prepared = emu.txnLabels("PREPARED");
    assertEquals(1, prepared.size(), prepared.toString());
    String label = prepared.keySet().iterator().next();

    TokenInfo info = Tokens.inspect(token);
    assertEquals(ExecutionMode.ON_CHECKPOINT, info.mode());
    assertEquals(1, info.checkpointId());
    assertEquals(1, info.transactions());

    Connector committer = connector(emu, "on_checkpoint"); // a new connector, no sink open
    committer.commitToken(token);
    assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));
    assertEquals("VISIBLE", emu.txnLabels(null).get(label).get("state"));
    assertEquals(1L, emu.txnLabels(null).get(label).get("commits"));

    committer.commitToken(token); // twice is OK
    assertEquals(1L, emu.txnLabels(null).get(label).get("commits"));

    try (Sink s = committer.open("shop.orders", ORDERS, "conf/c18/0", token)) {
      assertEquals(List.of(R1_DUMP, R2_DUMP), emu.dump("shop.orders"));
    }
    assertEquals(1L, emu.txnLabels(null).get(label).get("commits"));

    expect(SinkException.Recovery.class, "SR_SINK_E_RECOVERY",
        () -> committer.commitToken("not a token".getBytes(StandardCharsets.UTF_8)));
    try (Connector other = Connector.create()) {
      other.addSink("other.*", opts(emu, "on_checkpoint"), ROOT);
      expect(SinkException.NoRoute.class, "SR_SINK_E_NO_ROUTE", () -> other.commitToken(token));
    }
  }
}
