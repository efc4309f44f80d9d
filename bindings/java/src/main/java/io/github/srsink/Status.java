package io.github.srsink;

/** The status codes of the C ABI ({@code SR_SINK_OK}, {@code SR_SINK_E_*}), with their names. */
public enum Status {
  OK(0, "SR_SINK_OK"),
  INVALID_ARGUMENT(1, "SR_SINK_E_INVALID_ARGUMENT"),
  CONFIG(2, "SR_SINK_E_CONFIG"),
  NO_ROUTE(3, "SR_SINK_E_NO_ROUTE"),
  SCHEMA(4, "SR_SINK_E_SCHEMA"),
  DATA(5, "SR_SINK_E_DATA"),
  AUTH(6, "SR_SINK_E_AUTH"),
  NETWORK(7, "SR_SINK_E_NETWORK"),
  TIMEOUT(8, "SR_SINK_E_TIMEOUT"),
  LOAD(9, "SR_SINK_E_LOAD"),
  TXN(10, "SR_SINK_E_TXN"),
  STATE(11, "SR_SINK_E_STATE"),
  NOT_SUPPORTED(12, "SR_SINK_E_NOT_SUPPORTED"),
  RETRY_LATER(13, "SR_SINK_E_RETRY_LATER"),
  CANCELLED(14, "SR_SINK_E_CANCELLED"),
  RECOVERY(15, "SR_SINK_E_RECOVERY"),
  VERSION(16, "SR_SINK_E_VERSION"),
  NO_MEMORY(17, "SR_SINK_E_NO_MEMORY"),
  INTERNAL(18, "SR_SINK_E_INTERNAL"),
  /** A code this binding does not know (a newer library). */
  UNKNOWN(-1, "SR_SINK_E_UNKNOWN");

  private static final Status[] BY_CODE = new Status[19];

  static {
    for (Status s : values()) {
      if (s.code >= 0) BY_CODE[s.code] = s;
    }
  }

  private final int code;
  private final String codeName;

  Status(int code, String codeName) {
    this.code = code;
    this.codeName = codeName;
  }

  /** The numeric code ({@code SR_SINK_E_CONFIG} is 2); -1 for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** The C name, as {@code sr_sink_status_name} returns it. */
  public String codeName() {
    return codeName;
  }

  /** The status of a numeric code; {@link #UNKNOWN} for codes this binding does not know. */
  public static Status of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
  }
}
