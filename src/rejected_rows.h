// Rejected rows (ABI 1.1): the rows StarRocks filtered out of a load, as its error log (the
// load's ErrorURL on the BE) reports them. They are fetched in both modes, handed one by one to
// the registration's rejected-rows callback (a host's dead-letter queue), counted in
// sr_sink_stats.rows_rejected, and logged without row values unless the host set log_row_values.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sr_sink.h"
#include "status.h"

namespace srs {

struct SinkContext;

// The host's consumer, shared by the sinks of one registration.
class RejectedRowsConsumer {
 public:
  // Copies the struct (fields beyond struct_size read as zero). Takes over `release`.
  explicit RejectedRowsConsumer(const sr_sink_rejected_rows& c);
  ~RejectedRowsConsumer();  // calls release(user_data) once
  RejectedRowsConsumer(const RejectedRowsConsumer&) = delete;
  RejectedRowsConsumer& operator=(const RejectedRowsConsumer&) = delete;

  // True when the host took the row (on_row returned 0).
  bool deliver(const sr_sink_rejected_row& row) const;

 private:
  sr_sink_host_rejected_row_fn on_row_ = nullptr;
  void* user_data_ = nullptr;
  void (*release_)(void*) = nullptr;
};

// One line of StarRocks' error log: "Error: <reason>. Row: <row text>" (BE RuntimeState). A line
// of another shape is kept whole as the reason, with no row.
struct ErrorLogRow {
  std::string reason;
  std::string row;
};
std::vector<ErrorLogRow> parse_error_log(std::string_view text);

// After a load or transaction of `label` reported `filtered` rows (> 0) and `error_url`: fetches
// the error log, hands every row to the consumer, counts them, and logs one WARN line (with the
// rows only if log_row_values) unless `load_failed` (the caller's error then says it). Appends to *summary what a data error message should say (the
// first reasons, and the rows only if log_row_values). Returns SR_SINK_E_DATA if the consumer
// refused a row; a failed download is logged and is not an error (the load's own outcome
// stands, and *summary names the ErrorURL).
Status report_rejected_rows(const SinkContext& ctx, const std::string& label, int64_t filtered,
                            const std::string& error_url, bool load_failed, std::string* summary);

}  // namespace srs
