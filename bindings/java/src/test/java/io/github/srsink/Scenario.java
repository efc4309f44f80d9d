package io.github.srsink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared values of tests/conformance/SCENARIOS.md. */
final class Scenario {
  private Scenario() {}

  static final List<String> ORDERS = List.of("id", "name", "amount");
  static final List<String> CUSTOMERS = List.of("region", "id", "name", "vip");

  static final Map<String, Object> R1 = row(1, "alice", "10.50");
  static final Map<String, Object> R2 = row(2, "bob", "20.00");
  static final Map<String, Object> R3 = row(3, "carol", "30.25");
  static final Map<String, Object> R2B = row(2, "bobby", "21.00");
  static final Map<String, Object> D1 = Map.of("id", 1);

  static final String R1_JSON = "{\"id\":1,\"name\":\"alice\",\"amount\":\"10.50\"}";
  static final String R2_JSON = "{\"id\":2,\"name\":\"bob\",\"amount\":\"20.00\"}";
  static final String R3_JSON = "{\"id\":3,\"name\":\"carol\",\"amount\":\"30.25\"}";
  static final String R2B_JSON = "{\"id\":2,\"name\":\"bobby\",\"amount\":\"21.00\"}";
  static final String D1_JSON = "{\"id\":1}";
  static final String BAD_JSON = "{\"id\":9,\"name\":\"" + "x".repeat(70) + "\",\"amount\":\"1.00\"}";

  static final String R1_DUMP = "{\"id\":1,\"name\":\"alice\",\"amount\":10.50}";
  static final String R2_DUMP = "{\"id\":2,\"name\":\"bob\",\"amount\":20.00}";
  static final String R3_DUMP = "{\"id\":3,\"name\":\"carol\",\"amount\":30.25}";
  static final String R2B_DUMP = "{\"id\":2,\"name\":\"bobby\",\"amount\":21.00}";

  static final CredentialsProvider ROOT = CredentialsProvider.of("root", "");

  static Map<String, Object> row(long id, String name, String amount) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("name", name);
    m.put("amount", amount);
    return m;
  }

  /** OPTS(mode) plus overrides (key, value, key, value, ...). */
  static Map<String, Object> opts(Emulator emu, String mode, Object... extra) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("http_url", emu.url);
    m.put("execution_mode", mode);
    m.put("label_prefix", "conf");
    m.put("max_retries", 2);
    m.put("retry_backoff_ms", 10);
    for (int i = 0; i < extra.length; i += 2) m.put((String) extra[i], extra[i + 1]);
    return m;
  }

  static Map<String, Object> opts(Emulator emu) {
    return opts(emu, "on_watermark");
  }
}
