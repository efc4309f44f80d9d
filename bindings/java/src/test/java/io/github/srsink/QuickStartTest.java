package io.github.srsink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.srsink.examples.QuickStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's quick start is examples/QuickStart.java, verbatim, and it runs. */
class QuickStartTest extends EmulatorTest {
  static final Path SOURCES = Path.of(System.getProperty("srsink.test.sources", "."));
  static final Path EXAMPLE = SOURCES.resolve("src/test/java/io/github/srsink/examples/QuickStart.java");

  @Test
  void theQuickStartRunsAndRestartsFromItsToken() throws Exception {
    Emulator emu = emu();
    QuickStart.main(new String[] {emu.url, tmp.toString()});
    assertEquals(List.of(Scenario.R1_DUMP), emu.dump("shop.orders"));
    assertTrue(Files.size(tmp.resolve("checkpoint.token")) > 0);
    QuickStart.main(new String[] {emu.url, tmp.toString()}); // a restart: open restores the token
    assertEquals(List.of(Scenario.R1_DUMP), emu.dump("shop.orders"));
    assertEquals(2, emu.txnLabels("VISIBLE").size(), emu.labels(null).toString());
  }

  @Test
  void theReadmeQuotesTheQuickStartVerbatim() throws Exception {
    String readme = Files.readString(SOURCES.resolve("README.md"));
    Matcher m = Pattern.compile("## Quick start\\n.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "README.md has no ```java block under ## Quick start");
    assertEquals(Files.readString(EXAMPLE), m.group(1),
        "README.md's quick start differs from " + EXAMPLE + ": copy the file into the README");
  }
}
