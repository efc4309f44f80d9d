// parse_options: the JSON document of sr_sink_connector_add_sink → validated Options.
// Every error is SR_SINK_E_CONFIG and names the key ("option `batch_max_rows`: ...").
#include "options.h"

#include <cjson/cJSON.h>

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <set>

#include "log.h"
#include "time_text.h"

namespace srs {
namespace {

using JsonPtr = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

Status config_error(const std::string& message) {
  return Status::Error(SR_SINK_E_CONFIG, message);
}

Status key_error(const char* key, const std::string& why) {
  return config_error(std::string("option `") + key + "`: " + why);
}

std::string type_name(const cJSON* v) {
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsNumber(v)) return "a number";
  if (cJSON_IsBool(v)) return "a boolean";
  if (cJSON_IsNull(v)) return "null";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsObject(v)) return "an object";
  return "an invalid value";
}

// Integers arrive as doubles (cJSON); accept only exact integers within [lo, hi] (all our
// limits are far below 2^53, so the double is exact).
Result<int64_t> get_int(const cJSON* v, const char* key, int64_t lo, int64_t hi,
                        const char* expected) {
  if (!cJSON_IsNumber(v)) return key_error(key, std::string("must be ") + expected + ", got " + type_name(v));
  double d = v->valuedouble;
  if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) ||
      d > static_cast<double>(hi)) {
    return key_error(key, std::string("must be ") + expected);
  }
  return static_cast<int64_t>(d);
}

Result<std::string> get_string(const cJSON* v, const char* key) {
  if (!cJSON_IsString(v) || v->valuestring == nullptr) {
    return key_error(key, "must be a string, got " + type_name(v));
  }
  return std::string(v->valuestring);
}

// Whether the URL may carry user information ("user:password@host"). Any '@' counts: a password
// may itself hold '/', '?' or '#', which would end the authority early, and an FE URL never needs
// an '@'. The URL is then never echoed, since it may carry a password.
bool has_userinfo(const std::string& url) { return url.find('@') != std::string::npos; }

// cJSON decodes "\u0000" into a NUL that ends its C string, silently cutting the value. Finds
// such an escape inside any string of the document; returns its byte offset or npos.
size_t find_escaped_nul(const char* json) {
  bool in_string = false;
  for (size_t i = 0; json[i]; ++i) {
    const char c = json[i];
    if (!in_string) {
      in_string = c == '"';
      continue;
    }
    if (c == '"') {
      in_string = false;
    } else if (c == '\\') {
      if (json[i + 1] == 'u' && std::strncmp(json + i + 2, "0000", 4) == 0) return i;
      if (json[i + 1]) ++i;  // the escaped character
    }
  }
  return std::string::npos;
}

// http_url entries: http(s)://host[:port][/path], normalised to lower-case scheme and no
// trailing '/'. Userinfo is refused without echoing the URL (it would carry the password).
Result<std::string> check_url(const std::string& raw) {
  const char* key = "http_url";
  if (has_userinfo(raw)) {
    return key_error(key, "a URL must not contain user information (user:password@); "
                          "credentials come from the credentials callback");
  }
  for (unsigned char c : raw) {
    if (c <= 0x20 || c >= 0x7f) {
      return key_error(key, "URL `" + redact(raw) + "` contains whitespace or a non-ASCII character");
    }
  }
  std::string url = raw;
  size_t sep = url.find("://");
  std::string scheme = sep == std::string::npos ? "" : url.substr(0, sep);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") {
    return key_error(key, "URL `" + raw + "` must start with http:// or https://");
  }
  url = scheme + url.substr(sep);
  size_t host_start = scheme.size() + 3;
  if (url.find_first_of("?#", host_start) != std::string::npos) {
    return key_error(key, "URL `" + raw + "` must not have a query or fragment");
  }
  size_t host_end = url.find('/', host_start);
  if (host_end == std::string::npos) host_end = url.size();
  std::string authority = url.substr(host_start, host_end - host_start);
  // Host is what precedes an optional ":port" (IPv6 literals are bracketed).
  std::string host = authority;
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return key_error(key, "URL `" + raw + "` has an unterminated IPv6 address");
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return key_error(key, "URL `" + raw + "` has a malformed host");
      port = authority.substr(close + 2);
      if (port.empty()) return key_error(key, "URL `" + raw + "` has an empty port");
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return key_error(key, "URL `" + raw + "` has an empty port");
  }
  if (host.empty() || host == "[]") return key_error(key, "URL `" + raw + "` has no host");
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return key_error(key, "URL `" + raw + "` has an invalid port `" + port + "`");
    }
  }
  while (url.size() > host_start && url.back() == '/') url.pop_back();
  return url;
}

Status parse_urls(const cJSON* v, Options* o) {
  const char* key = "http_url";
  if (cJSON_IsString(v)) {
    auto u = check_url(v->valuestring);
    if (!u.ok()) return u.status();
    o->http_urls.push_back(std::move(u).value());
    return Status::OK();
  }
  if (!cJSON_IsArray(v)) {
    return key_error(key, "must be a URL string or an array of URL strings, got " + type_name(v));
  }
  if (cJSON_GetArraySize(v) == 0) return key_error(key, "must not be an empty array");
  const cJSON* item;
  cJSON_ArrayForEach(item, v) {
    if (!cJSON_IsString(item)) {
      return key_error(key, "array elements must be URL strings, got " + type_name(item));
    }
    auto u = check_url(item->valuestring);
    if (!u.ok()) return u.status();
    o->http_urls.push_back(std::move(u).value());
  }
  return Status::OK();
}

bool is_label_prefix(const std::string& s) {
  if (s.empty() || s.size() > 32) return false;
  for (unsigned char c : s) {
    if (!(std::isalnum(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

// Stream Load headers the library sets itself (or that would break its protocol). Why each one
// is refused goes into the error message.
const char* owned_header_reason(const std::string& k) {
  static const struct {
    const char* name;
    const char* why;
  } kOwned[] = {
      {"label", "labels are generated by the library (label_prefix sets their prefix)"},
      {"format", "use the option `format` (json or csv)"},
      {"column_separator", "the library lays out CSV bodies (option `format`)"},
      {"row_delimiter", "the library lays out CSV bodies (option `format`)"},
      {"enclose", "the library lays out CSV bodies (option `format`)"},
      {"escape", "the library lays out CSV bodies (option `format`)"},
      {"skip_header", "the library lays out CSV bodies (option `format`)"},
      {"trim_space", "the library lays out CSV bodies (option `format`)"},
      {"columns", "the library derives columns from sr_sink_open"},
      {"expect", "the library manages Expect: 100-continue"},
      {"authorization", "credentials come from the credentials callback"},
      {"timeout", "use the load_timeout_s option"},
      {"db", "the target table comes from sr_sink_open"},
      {"table", "the target table comes from sr_sink_open"},
      {"strip_outer_array", "the library sends NDJSON"},
      {"ignore_json_size", "the library sets it for transaction loads"},
      {"jsonpaths", "the library maps columns by name"},
      {"json_root", "the library sends one object per row"},
      {"content-length", "the library frames the body"},
      {"transfer-encoding", "the library frames the body"},
      {"host", "the library addresses the request"},
      {"compression", "the library encodes the body"},
      {"content-encoding", "the library encodes the body"},
      {"connection", "the library manages connections"},
      {"transaction_type", "multi-table transactions are not used"},
      {"enable_merge_commit", "merge commit ignores labels, which the sink's guarantees need"},
      {"partial_update", "use the option `partial_update` (false, row or column)"},
      {"partial_update_mode", "use the option `partial_update` (false, row or column)"},
  };
  for (const auto& o : kOwned) {
    if (k == o.name) return o.why;
  }
  return nullptr;
}

bool is_header_token(const std::string& k) {
  if (k.empty()) return false;
  for (unsigned char c : k) {
    if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.')) return false;
  }
  return true;
}

Status parse_properties(const cJSON* v, Options* o) {
  if (!cJSON_IsObject(v)) return key_error("properties", "must be an object of strings, got " + type_name(v));
  std::set<std::string> seen;
  const cJSON* item;
  cJSON_ArrayForEach(item, v) {
    std::string k = item->string ? item->string : "";
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string where = "option `properties`: property `" + k + "`";
    if (!is_header_token(k)) {
      return config_error("option `properties`: property `" + k +
                          "` is not a valid header name (letters, digits, '_', '-', '.')");
    }
    if (const char* why = owned_header_reason(k)) {
      return config_error(where + " is set by the library and cannot be overridden: " + why);
    }
    if (k.rfind("merge_commit", 0) == 0) {
      return config_error(where + " is not supported: merge commit ignores labels");
    }
    if (!seen.insert(k).second) return config_error(where + " is given twice");
    std::string value;
    if (cJSON_IsString(item)) {
      value = item->valuestring;
    } else if (cJSON_IsBool(item)) {
      value = cJSON_IsTrue(item) ? "true" : "false";
    } else if (cJSON_IsNumber(item)) {
      // 1e999 parses as infinity, which cJSON would print as `null`.
      if (!std::isfinite(item->valuedouble)) return config_error(where + " must be a finite number");
      // cJSON prints the shortest text that reads back as the same double.
      char* text = cJSON_PrintUnformatted(item);
      if (!text) return Status::Error(SR_SINK_E_NO_MEMORY, "out of memory");
      value = text;
      cJSON_free(text);
    } else {
      return config_error(where + " must be a string, number or boolean, got " + type_name(item));
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      return config_error(where + " must not contain a line break");
    }
    o->properties.emplace_back(std::move(k), std::move(value));
  }
  return Status::OK();
}

// Levels the libraries accept and that make sense for load bodies: lz4 0 (fast) .. 12 (HC max),
// zstd 1 .. 19 (20+ are "ultra" levels of hundreds of MiB per sink), gzip 1 .. 9. The defaults
// are the fastest, the only ones that keep up with a fast network (bench/README.md).
Status check_compression_level(std::optional<int64_t> level, Options* o) {
  const char* key = "compression_level";
  int64_t lo = 0, hi = 0, dflt = 0;
  const char* algo = "";
  switch (o->compression) {
    case Compression::kNone:
      if (level) return key_error(key, "needs `compression` to be lz4_frame, zstd or gzip");
      return Status::OK();
    case Compression::kLz4Frame: lo = 0; hi = 12; dflt = 0; algo = "lz4_frame"; break;
    case Compression::kZstd: lo = 1; hi = 19; dflt = 1; algo = "zstd"; break;
    case Compression::kGzip: lo = 1; hi = 9; dflt = 1; algo = "gzip"; break;
  }
  if (level && (*level < lo || *level > hi)) {
    return key_error(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                              " for " + algo + ", got " + std::to_string(*level));
  }
  o->compression_level = static_cast<int>(level ? *level : dflt);
  return Status::OK();
}

}  // namespace

Result<Options> parse_options(const char* json) {
  if (json == nullptr) return config_error("options are NULL; expected a JSON object");
  const char* end = nullptr;
  JsonPtr doc(cJSON_ParseWithOpts(json, &end, /*require_null_terminated=*/1), &cJSON_Delete);
  if (!doc) {
    size_t at = end ? static_cast<size_t>(end - json) : 0;
    return config_error("options are not valid JSON (error at byte " + std::to_string(at) + ")");
  }
  if (size_t at = find_escaped_nul(json); at != std::string::npos) {
    return config_error("options contain a string with an embedded NUL character (\\u0000 at byte " +
                        std::to_string(at) + "); no option value may contain one");
  }
  if (!cJSON_IsObject(doc.get())) {
    return config_error("options must be a JSON object, got " + type_name(doc.get()));
  }

  Options o;
  bool have_url = false, have_batch_bytes = false;
  std::optional<int64_t> level;  // compression_level as given
  std::set<std::string> seen;
  const cJSON* v;
  cJSON_ArrayForEach(v, doc.get()) {
    const std::string name = v->string ? v->string : "";
    const char* key = name.c_str();
    // cJSON keeps duplicate keys; refusing them avoids "which one wins" surprises.
    if (!seen.insert(name).second) return key_error(key, "is given twice");

    if (name == "http_url") {
      SRS_RETURN_IF_ERROR(parse_urls(v, &o));
      have_url = true;
    } else if (name == "execution_mode") {
      auto s = get_string(v, key);
      if (!s.ok()) return s.status();
      if (s.value() == "on_checkpoint") {
        o.mode = ExecutionMode::kOnCheckpoint;
      } else if (s.value() == "on_watermark") {
        o.mode = ExecutionMode::kOnWatermark;
      } else {
        return key_error(key, "must be \"on_checkpoint\" or \"on_watermark\", got \"" + s.value() + "\"");
      }
    } else if (name == "label_prefix") {
      auto s = get_string(v, key);
      if (!s.ok()) return s.status();
      if (!is_label_prefix(s.value())) {
        return key_error(key, "must be 1 to 32 characters of [-_A-Za-z0-9], got \"" + s.value() + "\"");
      }
      o.label_prefix = s.value();
    } else if (name == "batch_max_bytes") {
      auto n = get_int(v, key, 1, int64_t{1} << 50, "a positive integer (bytes)");
      if (!n.ok()) return n.status();
      o.batch_max_bytes = static_cast<uint64_t>(n.value());
      have_batch_bytes = true;
    } else if (name == "batch_max_rows") {
      auto n = get_int(v, key, 1, int64_t{1} << 50, "a positive integer");
      if (!n.ok()) return n.status();
      o.batch_max_rows = static_cast<uint64_t>(n.value());
    } else if (name == "memory_budget_bytes") {
      auto n = get_int(v, key, int64_t{1} << 20, int64_t{1} << 50, "an integer of at least 1048576 (1 MiB)");
      if (!n.ok()) return n.status();
      o.memory_budget_bytes = static_cast<uint64_t>(n.value());
    } else if (name == "write_timeout_ms") {
      auto n = get_int(v, key, 0, int64_t{1} << 40, "a non-negative integer (milliseconds)");
      if (!n.ok()) return n.status();
      o.write_timeout_ms = n.value();
    } else if (name == "connect_timeout_ms") {
      auto n = get_int(v, key, 1, int64_t{1} << 40, "a positive integer (milliseconds)");
      if (!n.ok()) return n.status();
      o.connect_timeout_ms = n.value();
    } else if (name == "request_timeout_ms") {
      auto n = get_int(v, key, 1, int64_t{1} << 40, "a positive integer (milliseconds)");
      if (!n.ok()) return n.status();
      o.request_timeout_ms = n.value();
    } else if (name == "load_timeout_s") {
      // StarRocks accepts [min_load_timeout_second=1, max_stream_load_timeout_second=259200].
      auto n = get_int(v, key, 1, 259200, "an integer between 1 and 259200 (seconds)");
      if (!n.ok()) return n.status();
      o.load_timeout_s = n.value();
    } else if (name == "max_retries") {
      auto n = get_int(v, key, 0, 1000, "an integer between 0 and 1000");
      if (!n.ok()) return n.status();
      o.max_retries = static_cast<int32_t>(n.value());
    } else if (name == "retry_backoff_ms") {
      auto n = get_int(v, key, 0, 3600000, "an integer between 0 and 3600000 (milliseconds)");
      if (!n.ok()) return n.status();
      o.retry_backoff_ms = n.value();
    } else if (name == "tls_ca_file") {
      auto s = get_string(v, key);
      if (!s.ok()) return s.status();
      if (s.value().empty()) return key_error(key, "must be a non-empty file path");
      // Checked now so a typo fails add_sink instead of every later HTTPS request.
      if (::access(s.value().c_str(), R_OK) != 0) {
        return key_error(key, "cannot read `" + s.value() + "`: " + std::strerror(errno));
      }
      o.tls_ca_file = s.value();
    } else if (name == "tls_verify") {
      if (!cJSON_IsBool(v)) return key_error(key, "must be true or false, got " + type_name(v));
      o.tls_verify = cJSON_IsTrue(v);
    } else if (name == "compression") {
      auto s = get_string(v, key);
      if (!s.ok()) return s.status();
      if (s.value() == "none") {
        o.compression = Compression::kNone;
      } else if (s.value() == "lz4_frame") {
        o.compression = Compression::kLz4Frame;
      } else if (s.value() == "zstd") {
        o.compression = Compression::kZstd;
      } else if (s.value() == "gzip") {
        o.compression = Compression::kGzip;
      } else {
        return key_error(key,
                         "must be one of none, lz4_frame, zstd, gzip, got \"" + s.value() + "\"");
      }
    } else if (name == "compression_level") {
      // The range depends on `compression`, which may come later in the document.
      auto n = get_int(v, key, -1000, 1000, "an integer");
      if (!n.ok()) return n.status();
      level = n.value();
    } else if (name == "recovery_probe_window") {
      auto n = get_int(v, key, 1, 100000, "an integer between 1 and 100000 (label ids)");
      if (!n.ok()) return n.status();
      o.recovery_probe_window = n.value();
    } else if (name == "properties") {
      SRS_RETURN_IF_ERROR(parse_properties(v, &o));
    } else if (name == "partial_update") {
      // StarRocks' partial_update / partial_update_mode headers (spec §3.3); false = full rows.
      std::string s = cJSON_IsFalse(v) ? "false" : cJSON_IsString(v) ? v->valuestring : "?";
      if (s == "false") {
        o.partial_update = PartialUpdate::kOff;
      } else if (s == "row") {
        o.partial_update = PartialUpdate::kRow;
      } else if (s == "column") {
        o.partial_update = PartialUpdate::kColumn;
      } else {
        return key_error(key, "must be false, \"row\" or \"column\", got " +
                                  (cJSON_IsString(v) ? "\"" + s + "\"" : type_name(v)));
      }
    } else if (name == "format") {
      auto s = get_string(v, key);
      if (!s.ok()) return s.status();
      if (s.value() == "json") {
        o.format = WireFormat::kJson;
      } else if (s.value() == "csv") {
        o.format = WireFormat::kCsv;
      } else {
        return key_error(key, "must be \"json\" or \"csv\", got \"" + s.value() + "\"");
      }
    } else if (name == "timezone") {
      auto s = get_string(v, key);
      if (!s.ok()) return s.status();
      std::optional<int32_t> off = parse_utc_offset(s.value());
      if (!off) {
        return key_error(key, "must be \"UTC\" or a fixed offset such as \"+08:00\" or "
                              "\"-05:30\", got \"" + s.value() + "\"");
      }
      o.timezone = s.value();
      o.timezone_offset_s = *off;
    } else if (name == "log_row_values") {
      if (!cJSON_IsBool(v)) return key_error(key, "must be true or false, got " + type_name(v));
      o.log_row_values = cJSON_IsTrue(v);
    } else {
      return config_error("unknown option `" + name + "`");
    }
  }

  if (!have_url) return key_error("http_url", "is required (a URL string or an array of URL strings)");
  if (o.partial_update != PartialUpdate::kOff) {
    o.properties.emplace_back("partial_update", "true");
    o.properties.emplace_back("partial_update_mode",
                              o.partial_update == PartialUpdate::kRow ? "row" : "column");
  }
  SRS_RETURN_IF_ERROR(check_compression_level(level, &o));
  if (o.batch_max_bytes > o.memory_budget_bytes) {
    if (!have_batch_bytes) {
      // Only the budget was lowered: the default batch size follows it.
      o.batch_max_bytes = o.memory_budget_bytes;
    } else {
      return key_error("batch_max_bytes", "must not exceed memory_budget_bytes (" +
                                              std::to_string(o.batch_max_bytes) + " > " +
                                              std::to_string(o.memory_budget_bytes) + ")");
    }
  }
  return o;
}

}  // namespace srs
