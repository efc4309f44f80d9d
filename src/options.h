// Options of one registered sink: the JSON document of sr_sink_connector_add_sink, typed and
// validated. Key names and meanings are documented in abi/sr_sink.h.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "status.h"

namespace srs {

enum class ExecutionMode { kOnCheckpoint, kOnWatermark };
// Load body compression (the `compression` Stream Load header; StarRocks >= 3.2.7).
enum class Compression { kNone, kLz4Frame, kZstd, kGzip };
// Option `partial_update`: whether an upsert updates only the opened columns.
enum class PartialUpdate { kOff, kRow, kColumn };
// Option `format`: the Stream Load body format (wire_format.h).
enum class WireFormat { kJson, kCsv };

struct Options {
  std::vector<std::string> http_urls;          // normalised: no trailing '/', scheme http or https
  ExecutionMode mode = ExecutionMode::kOnCheckpoint;
  std::string label_prefix = "sr_sink";
  uint64_t batch_max_bytes = 90ull << 20;
  uint64_t batch_max_rows = 500000;
  uint64_t memory_budget_bytes = 256ull << 20;
  int64_t write_timeout_ms = 60000;
  int64_t connect_timeout_ms = 10000;
  int64_t request_timeout_ms = 30000;
  int64_t load_timeout_s = 600;
  int32_t max_retries = 3;
  int64_t retry_backoff_ms = 500;
  std::string tls_ca_file;
  bool tls_verify = true;
  Compression compression = Compression::kNone;
  // The algorithm's level; the fast default of each when the option is absent (lz4 0, zstd 1,
  // gzip 1). Meaningless for kNone.
  int compression_level = 0;
  PartialUpdate partial_update = PartialUpdate::kOff;
  // Whether log lines and error messages may show row values (rejected rows).
  bool log_row_values = false;
  // Stream Load headers, in document order. Never contains headers the library owns
  // (label, format, columns, Expect, Authorization, timeout, db, table, ...); partial_update
  // and partial_update_mode come from the typed option, at the end.
  std::vector<std::pair<std::string, std::string>> properties;
  WireFormat format = WireFormat::kJson;
  // Option `timezone`: where Arrow timestamps with a time zone are written as DATETIME wall
  // time. "UTC" or a fixed offset "+08:00"; offset in seconds east of UTC.
  std::string timezone = "UTC";
  int32_t timezone_offset_s = 0;
  // on_checkpoint recovery: consecutive unused label ids probed past the last used one when
  // StarRocks' label listing cannot be used (docs/exactly-once.md, "Recovery").
  int64_t recovery_probe_window = 100;
};

// Parses and validates. Errors are SR_SINK_E_CONFIG and name the key: "option `batch_max_rows`:
// must be a positive integer", "unknown option `http_urls`".
Result<Options> parse_options(const char* json);

}  // namespace srs
