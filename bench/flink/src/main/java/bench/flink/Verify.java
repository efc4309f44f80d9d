package bench.flink;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The table check of a run (its own JVM, not measured): replays the source's streams
 * ({@link Orders}) to the table the job must leave, reads the emulator's table dump and compares
 * every row. Prints one JSON line: expected/actual row counts, missing/extra/different rows (with
 * the first few), and the changelog's upsert and delete counts (which the emulator's per-table
 * counters must equal when every row was applied exactly once).
 *
 * <p>Arguments: rows parallelism seed fe-url(http://127.0.0.1:port) database table
 * [dump=false: only the counts, for --discard runs].
 */
public final class Verify {
  public static void main(String[] a) throws Exception {
    long rows = Long.parseLong(a[0]);
    int p = Integer.parseInt(a[1]);
    long seed = Long.parseLong(a[2]);
    String fe = a[3];
    String db = a[4];
    String table = a[5];
    boolean dump = a.length < 7 || !a[6].equals("dump=false");

    long[] starts = OrdersGenerator.splitStarts(rows, p);
    long[][] hashes = new long[p][];
    long upserts = 0, deletes = 0;
    for (int k = 0; k < p; k++) {
      long count = (k + 1 < p ? starts[k + 1] : rows) - starts[k];
      long[] h = new long[(int) count + 2];
      Orders.Stream s = new Orders.Stream(seed, k, p);
      for (long i = 0; i < count; i++) {
        s.next();
        int local = (int) ((s.id - 1 - k) / p + 1);
        if (s.kind == Orders.Kind.DELETE) {
          h[local] = 0;
          deletes++;
        } else {
          h[local] = hash(s.canonical());
          upserts++;
        }
      }
      hashes[k] = h;
    }
    long expected = 0;
    for (long[] h : hashes) for (long v : h) if (v != 0) expected++;

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("expected_rows", expected);
    out.put("changelog_upserts", upserts);
    out.put("changelog_deletes", deletes);
    if (dump) {
      ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
      long actual = 0, matched = 0, different = 0, extra = 0;
      List<String> examples = new ArrayList<>();
      HttpURLConnection c = (HttpURLConnection) URI.create(fe + "/_emulator/tables/" + db + "/" + table + "/rows")
          .toURL().openConnection();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8), 1 << 20)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isEmpty()) continue;
          actual++;
          JsonNode n = json.readTree(line);
          long id = n.get("id").asLong();
          String canon = id + "|" + n.get("customer").asInt() + "|" + n.get("name").asText() + "|"
              + new BigDecimal(n.get("amount").asText()).setScale(2).toPlainString() + "|" + n.get("ts").asText() + "|"
              + n.get("flag").asBoolean();
          int k = (int) ((id - 1) % p);
          long local = (id - 1 - k) / p + 1;
          long want = local < hashes[k].length ? hashes[k][(int) local] : 0;
          if (want == 0) {
            extra++;
            if (examples.size() < 5) examples.add("extra: " + line);
          } else if (want != hash(canon)) {
            different++;
            if (examples.size() < 5) examples.add("different: " + line);
          } else {
            matched++;
          }
          if (want != 0) hashes[k][(int) local] = -want;  // seen
        }
      }
      out.put("actual_rows", actual);
      out.put("matched", matched);
      out.put("different", different);
      out.put("extra", extra);
      out.put("missing", expected - matched - different);
      out.put("examples", examples);
      out.put("table_ok", matched == expected && actual == expected);
    }
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }

  /** 64-bit FNV-1a over the UTF-16 units; never 0 (0 means "no row"). */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h &= Long.MAX_VALUE;  // keep the sign free for the "seen" mark
    return h == 0 ? 1 : h;
  }
}
