#include "rejected_rows.h"

#include <algorithm>

#include "backoff.h"
#include "http.h"
#include "log.h"
#include "mode_driver.h"

namespace srs {
namespace {

constexpr std::string_view kErrorPrefix = "Error: ";
constexpr std::string_view kRowMarker = ". Row: ";
constexpr size_t kReasonsInMessage = 3;
constexpr size_t kMaxShown = 240;

std::string cut(std::string s) {
  if (s.size() > kMaxShown) s = s.substr(0, kMaxShown) + "...";
  return s;
}

// StarRocks' reasons quote values ("Value 'abc' is out of range. The type of 'name' is ..."):
// without log_row_values every quoted part that is not a column name is masked.
std::string sanitize_reason(const std::string& reason_in, const std::vector<std::string>& columns) {
  // CSV bodies: "The field (name = c, pos = 1) is out of range. Type: ..., Value length: 70,
  // Value: <the value>" (be/src/exec/csv_scanner.cpp) ends with the value, unquoted.
  std::string reason = reason_in;
  if (size_t v = reason.find(", Value: "); v != std::string::npos) {
    reason.replace(v + 9, std::string::npos, "***");
  }
  std::string out;
  size_t pos = 0;
  while (pos < reason.size()) {
    size_t open = reason.find('\'', pos);
    size_t close = open == std::string::npos ? open : reason.find('\'', open + 1);
    if (close == std::string::npos) {
      out.append(reason, pos, std::string::npos);
      break;
    }
    const std::string quoted = reason.substr(open + 1, close - open - 1);
    const bool column = std::find(columns.begin(), columns.end(), quoted) != columns.end();
    out.append(reason, pos, open - pos).append("'").append(column ? quoted : "***").append("'");
    pos = close + 1;
  }
  return out;
}

}  // namespace

RejectedRowsConsumer::RejectedRowsConsumer(const sr_sink_rejected_rows& c) {
  auto fits = [&](size_t offset, size_t size) { return c.struct_size >= offset + size; };
  if (fits(offsetof(sr_sink_rejected_rows, on_row), sizeof(c.on_row))) on_row_ = c.on_row;
  if (fits(offsetof(sr_sink_rejected_rows, user_data), sizeof(c.user_data))) user_data_ = c.user_data;
  if (fits(offsetof(sr_sink_rejected_rows, release), sizeof(c.release))) release_ = c.release;
}

RejectedRowsConsumer::~RejectedRowsConsumer() {
  if (release_) release_(user_data_);
}

bool RejectedRowsConsumer::deliver(const sr_sink_rejected_row& row) const {
  return on_row_ && on_row_(user_data_, &row) == 0;
}

std::vector<ErrorLogRow> parse_error_log(std::string_view text) {
  std::vector<ErrorLogRow> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    ErrorLogRow r;
    size_t marker = line.find(kRowMarker);
    if (line.substr(0, kErrorPrefix.size()) == kErrorPrefix && marker != line.npos) {
      r.reason = std::string(line.substr(kErrorPrefix.size(), marker - kErrorPrefix.size()));
      r.row = std::string(line.substr(marker + kRowMarker.size()));
    } else {
      r.reason = std::string(line);
    }
    out.push_back(std::move(r));
  }
  return out;
}

Status report_rejected_rows(const SinkContext& ctx, const std::string& label, int64_t filtered,
                            const std::string& error_url, bool load_failed, std::string* summary) {
  const std::string table = ctx.db + "." + ctx.table;
  const bool show_rows = ctx.options->log_row_values;
  if (error_url.empty()) {
    if (ctx.log) ctx.log->log(SR_SINK_LOG_WARN, "load %s into %s: StarRocks filtered %lld rows and "
                              "gave no error log", label.c_str(), table.c_str(), (long long)filtered);
    return Status::OK();
  }
  // The BE serves error logs without authentication; a short deadline, one retry.
  HttpRequest req;
  req.target = error_url;
  req.authenticate = false;
  req.timeout_ms = std::min<int64_t>(ctx.options->request_timeout_ms, 10000);
  HttpResult res = ctx.http->perform(req);
  if (!res.status.ok() || res.response.status != 200) {
    if (!res.status.ok() && res.status.code() == SR_SINK_E_CANCELLED) return res.status;
    sleep_unless_cancelled(backoff_ms(ctx.options->retry_backoff_ms, 1), ctx.cancelled);
    res = ctx.http->perform(req);
  }
  if (!res.status.ok() || res.response.status != 200) {
    std::string why = res.status.ok() ? "HTTP " + std::to_string(res.response.status)
                                      : res.status.message();
    *summary += "; its error log " + error_url + " could not be read (" + why + ")";
    if (ctx.log) ctx.log->log(SR_SINK_LOG_WARN, "load %s into %s: StarRocks filtered %lld rows; "
                              "reading its error log %s failed: %s", label.c_str(), table.c_str(),
                              (long long)filtered, error_url.c_str(), why.c_str());
    if (ctx.rejected) {
      // The host asked for every rejected row: not being able to hand them over is an error,
      // so the host replays and they are reported again.
      return Status::Error(SR_SINK_E_DATA,
                           "load " + label + " into " + table + ": StarRocks filtered " +
                               std::to_string(filtered) + " rows, and their error log " +
                               error_url + " could not be read for the rejected-rows callback (" +
                               why + ")",
                           SR_SINK_ERROR_F_DATA)
          .with_label(label);
    }
    return Status::OK();
  }
  std::vector<ErrorLogRow> rows = parse_error_log(res.response.body);
  std::string reasons;
  for (size_t i = 0; i < rows.size() && i < kReasonsInMessage; ++i) {
    std::string shown = cut(show_rows ? rows[i].reason : sanitize_reason(rows[i].reason, ctx.columns));
    if (show_rows && !rows[i].row.empty()) shown += " (row: " + cut(rows[i].row) + ")";
    reasons += (reasons.empty() ? "" : " | ") + shown;
  }
  *summary += "; first rejected rows: " + (reasons.empty() ? std::string("none listed") : reasons);
  if (!show_rows) *summary += " (values masked as '***'; option log_row_values shows them)";
  if (ctx.counters) ctx.counters->rows_rejected.fetch_add(rows.size(), std::memory_order_relaxed);
  if (ctx.log && !load_failed) {
    ctx.log->log(SR_SINK_LOG_WARN, "load %s into %s: StarRocks filtered %lld rows, its error log "
                 "lists %zu: %s", label.c_str(), table.c_str(), (long long)filtered, rows.size(),
                 reasons.c_str());
  }
  if (!ctx.rejected) return Status::OK();
  for (size_t i = 0; i < rows.size(); ++i) {
    sr_sink_rejected_row r{};
    r.struct_size = sizeof r;
    r.table = table.c_str();
    r.label = label.c_str();
    r.row = rows[i].row.data();
    r.row_len = rows[i].row.size();
    r.reason = rows[i].reason.c_str();
    if (!ctx.rejected->deliver(r)) {
      return Status::Error(SR_SINK_E_DATA,
                           "load " + label + " into " + table + ": the rejected-rows callback "
                               "refused rejected row " + std::to_string(i + 1) + " of " +
                               std::to_string(rows.size()),
                           SR_SINK_ERROR_F_DATA)
          .with_label(label);
    }
  }
  return Status::OK();
}

}  // namespace srs
