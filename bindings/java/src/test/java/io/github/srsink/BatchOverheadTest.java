package io.github.srsink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Measures what the binding adds per batch: the JNI call with its marshalling (direct buffer
 * address, offsets and ops copied, slices built) without the library's work, and sink.write
 * with it, for context. Prints the numbers (bindings/java/README.md quotes them); asserts no
 * timing, only that the probe saw every byte.
 */
class BatchOverheadTest extends EmulatorTest {
  private static final String ROW = "{\"id\":1234567,\"name\":\"alice\",\"amount\":\"10.50\"}";

  private static Batch batch(int rows) {
    Batch b = new Batch(ROW.length() * rows + 64, rows);
    for (int i = 0; i < rows; i++) b.upsert(ROW);
    return b;
  }

  @Test
  void perBatchOverheadIsMeasured() throws Exception {
    Library.get(); // loads the glue
    StringBuilder report = new StringBuilder("sr-sink-java per-batch overhead (JNI call + marshalling, no library work):");
    for (int rows : new int[] {1, 100, 1000}) {
      Batch b = batch(rows);
      int iterations = 2_000_000 / Math.max(rows, 10);
      for (int i = 0; i < iterations; i++) b.probe(); // warm-up (JIT)
      long t0 = System.nanoTime();
      long bytes = 0;
      for (int i = 0; i < iterations; i++) bytes += b.probe();
      long ns = (System.nanoTime() - t0) / iterations;
      assertEquals((long) iterations * b.bytes(), bytes);
      report.append(String.format(Locale.ROOT, "%n  %4d rows: %6d ns/batch (%.1f ns/row)", rows, ns, (double) ns / rows));
    }

    Emulator emu = emu();
    Connector c = connector(emu, "on_watermark");
    report.append("\nsink.write, library included (validation and copy into the load buffer):");
    for (int rows : new int[] {1, 100, 1000}) {
      Batch b = batch(rows);
      int iterations = 200_000 / Math.max(rows, 10);
      try (Sink s = c.open("shop.orders", Scenario.ORDERS)) {
        for (int i = 0; i < iterations; i++) s.write(b); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) s.write(b);
        long ns = (System.nanoTime() - t0) / iterations;
        report.append(String.format(Locale.ROOT, "%n  %4d rows: %6d ns/batch (%.1f ns/row)", rows, ns, (double) ns / rows));
      } // closed without a watermark: nothing is loaded
    }
    System.out.println(report);
  }
}
