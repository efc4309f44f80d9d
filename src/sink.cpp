#include "sink.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <set>

#include "arrow_csv_direct.h"
#include "arrow_encode.h"
#include "arrow_import.h"
#include "csv_encode.h"
#include "encode.h"
#include "json_fast.h"
#include "log.h"
#include "row_check.h"
#include "schema.h"

namespace srs {
namespace {

const char* mode_name(ExecutionMode m) {
  return m == ExecutionMode::kOnWatermark ? "on_watermark" : "on_checkpoint";
}

static_assert(Pipeline::kRowPadding >= kFastPadding, "rows are validated in the chunk's slack");

Status invalid(const std::string& msg) { return Status::Error(SR_SINK_E_INVALID_ARGUMENT, msg); }

Status check_params(const OpenParams& p, const Options& options) {
  size_t dot = p.table.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == p.table.size() ||
      p.table.find('.', dot + 1) != std::string::npos) {
    return invalid("table `" + p.table + "` is not of the form db.table");
  }
  if (p.columns.empty()) return invalid("open " + p.table + ": no columns given");
  std::set<std::string> seen;
  for (const std::string& c : p.columns) {
    if (c.empty()) return invalid("open " + p.table + ": a column name is empty");
    if (c == "__op") {
      return invalid("open " + p.table + ": `__op` is not a column; ops are passed per row");
    }
    if (!seen.insert(c).second) return invalid("open " + p.table + ": column `" + c + "` is given twice");
  }
  if (options.mode == ExecutionMode::kOnCheckpoint && p.instance_id.empty()) {
    return invalid("open " + p.table + ": instance_id is required in on_checkpoint mode");
  }
  return Status::OK();
}

// "`a`, `b`" for messages.
std::string backquoted(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "`" : ", `") + n + "`";
  return out;
}

// The host declared its own primary key (sr_sink_open_params.key_columns): it must be the table's.
Status check_key(const std::vector<std::string>& table_key, const std::string& table,
                 const std::vector<std::string>& host_key) {
  const std::set<std::string> ours(table_key.begin(), table_key.end());
  const std::set<std::string> theirs(host_key.begin(), host_key.end());
  if (ours == theirs && theirs.size() == host_key.size()) return Status::OK();
  return Status::Error(SR_SINK_E_SCHEMA, "the primary key of " + table + " is (" +
                                             backquoted(table_key) + "), but the host declared (" +
                                             backquoted(host_key) +
                                             "): rows would be merged by a different key than "
                                             "the host computed them by");
}

// StarRocks upserts whole rows: a column the sink does not write becomes NULL (or its default)
// on every upsert, unless the host asked for partial updates. Said once, at open.
void warn_unwritten_columns(const Logger& log, const Options& options, const std::string& table,
                            const TableInfo& info, const std::vector<std::string>& written) {
  if (options.partial_update != PartialUpdate::kOff) return;
  const std::set<std::string> opened(written.begin(), written.end());
  std::vector<std::string> unwritten;
  for (const TableColumn& c : info.columns) {
    if (!opened.count(c.name)) unwritten.push_back(c.name);
  }
  if (unwritten.empty()) return;
  const std::string missing = backquoted(unwritten);
  log.log(SR_SINK_LOG_WARN,
          "%s is opened without column(s) %s: every upsert sets them to NULL or their default "
          "(StarRocks replaces whole rows); set the option partial_update to \"row\" or "
          "\"column\" to keep their values", table.c_str(), missing.c_str());
}

}  // namespace

Sink::Sink(Connector* connector, const Registration& reg, const OpenParams& params)
    : connector_(connector), reg_(reg), full_name_(params.table) {
  size_t dot = params.table.find('.');
  db_ = params.table.substr(0, dot);
  table_ = params.table.substr(dot + 1);
}

Sink::~Sink() {
  if (!closed_) close();
}

Result<std::unique_ptr<Sink>> Sink::open(Connector* connector, const Registration& reg,
                                         const OpenParams& params) {
  SRS_RETURN_IF_ERROR(check_params(params, reg.options));
  std::unique_ptr<Sink> s(new Sink(connector, reg, params));
  // Until the end of open, a failure frees the sink without closing it: there is nothing to roll
  // back, and a driver whose open() failed is not asked to close.
  s->closed_ = true;
  const Logger* log = &connector->log();
  s->http_ = std::make_unique<HttpClient>(reg.options, reg.credentials.get(), s->full_name_, log,
                                          &s->cancelled_, connector->http_shared(),
                                          &s->counters_.fe_failovers);

  Result<TableInfo> info = discover_table(*s->http_, reg.options, s->db_, s->table_, &s->cancelled_);
  if (!info.ok()) {
    Status st = info.status();
    if (st.code() != SR_SINK_E_SCHEMA) st.prefix("open " + s->full_name_ + ": ");
    return st;
  }
  SRS_RETURN_IF_ERROR(check_table(info.value(), s->db_, s->table_, params.columns));
  std::vector<std::string> key_columns;
  for (const TableColumn& c : info->columns) {
    if (c.is_key) key_columns.push_back(c.name);
  }
  if (!params.key_columns.empty()) {
    SRS_RETURN_IF_ERROR(check_key(key_columns, s->full_name_, params.key_columns));
  }
  warn_unwritten_columns(*log, reg.options, s->full_name_, info.value(), params.columns);
  s->row_check_ = std::make_unique<RowCheck>(params.columns, key_columns);
  for (const std::string& c : params.columns) {
    for (const TableColumn& tc : info->columns) {
      if (tc.name == c) s->column_types_.push_back(tc.type);
    }
  }
  s->key_columns_ = key_columns;
  if (reg.options.format == WireFormat::kCsv) {
    std::vector<CsvKind> kinds;
    for (const std::string& t : s->column_types_) kinds.push_back(csv_kind_of(t));
    s->csv_ = std::make_unique<CsvRowEncoder>(params.columns, kinds);
    s->csv_null_bytes_ = 3 * params.columns.size();
  }

  s->ctx_.options = &reg.options;
  s->ctx_.http = s->http_.get();
  s->ctx_.log = log;
  s->ctx_.counters = &s->counters_;
  s->ctx_.cancelled = &s->cancelled_;
  s->ctx_.db = s->db_;
  s->ctx_.table = s->table_;
  s->ctx_.columns = params.columns;
  s->ctx_.instance_id = params.instance_id;
  s->ctx_.rejected = reg.rejected.get();
  s->driver_ = reg.options.mode == ExecutionMode::kOnWatermark ? make_watermark_driver(s->ctx_)
                                                               : make_txn_driver(s->ctx_);
  Status st = s->driver_->open(params.restore_token);
  if (!st.ok()) return st;
  s->closed_ = false;

  Pipeline::Config pc;
  // Chunks small enough that a small budget still holds several of them.
  pc.chunk_bytes = (size_t)std::clamp<uint64_t>(reg.options.memory_budget_bytes / 8, 64 << 10, 1 << 20);
  pc.batch_max_bytes = reg.options.batch_max_bytes;
  pc.batch_max_rows = reg.options.batch_max_rows;
  // A load must finish within StarRocks' `timeout`; leave half of it for the tail.
  pc.max_request_age_ms = std::max<int64_t>(1000, reg.options.load_timeout_s * 1000 / 2);
  pc.replayable = s->driver_->replayable_bodies();
  pc.flush_interval_ms = reg.options.buffer_flush_interval_ms;
  // on_watermark: a load that ends is visible; on_checkpoint: visibility waits for the commit,
  // so the rows only go into the open transaction.
  pc.timer_seals = reg.options.mode == ExecutionMode::kOnWatermark;
  ModeDriver* driver = s->driver_.get();
  s->pipeline_ = std::make_unique<Pipeline>(
      pc, reg.budget.get(), [driver](BodySource& body) { return driver->send_load(body); },
      &s->cancelled_);
  log->log(SR_SINK_LOG_INFO, "opened %s sink for %s (table found via %s, %zu columns)",
           mode_name(reg.options.mode), s->full_name_.c_str(), info->source.c_str(),
           params.columns.size());
  return s;
}

Status Sink::check_usable() const {
  if (cancelled_.load()) {
    return Status::Error(SR_SINK_E_CANCELLED, "sink " + full_name_ + " was cancelled; close it",
                         SR_SINK_ERROR_F_FATAL);
  }
  if (!failed_.ok()) {
    return Status::Error(SR_SINK_E_STATE,
                         "sink " + full_name_ + " failed earlier; close it: " + failed_.message(),
                         SR_SINK_ERROR_F_FATAL)
        .with_label(failed_.label());
  }
  return Status::OK();
}

Status Sink::fail(Status st) {
  if (st.code() == SR_SINK_E_CANCELLED || cancelled_.load()) {
    st = Status::Error(SR_SINK_E_CANCELLED, "sink " + full_name_ + ": cancelled");
  }
  st.with_flags(SR_SINK_ERROR_F_FATAL);
  if (failed_.ok()) failed_ = st;
  return st;
}

Status Sink::write_arrow(const ArrowSchema& schema, const ArrowArray& array, const uint8_t* ops) {
  SRS_RETURN_IF_ERROR(check_usable());
  Status bg = pipeline_->error();
  if (!bg.ok()) return fail(bg);
  const std::string what = "write_arrow " + full_name_ + ": ";
  // The whole batch is checked and encoded before any of it is taken (all or nothing).
  Result<ArrowNode> root = import_arrow_batch(schema, array);
  if (!root.ok()) return Status(root.status()).prefix(what);
  if (!arrow_target_) {
    arrow_target_ = std::make_unique<ArrowTarget>();
    arrow_target_->columns = ctx_.columns;
    for (size_t i = 0; i < ctx_.columns.size(); ++i) {
      arrow_target_->kinds.push_back(csv_kind_of(column_types_[i]));
      arrow_target_->is_key.push_back(std::find(key_columns_.begin(), key_columns_.end(),
                                                ctx_.columns[i]) != key_columns_.end());
    }
    arrow_target_->format = reg_.options.format;
    arrow_target_->timezone_offset_s = reg_.options.timezone_offset_s;
  }
  ArrowColumns cols;
  Status st = map_arrow_fields(root.value(), ops, *arrow_target_, &cols);
  if (!st.ok()) return st.prefix(what);
  if (arrow_csv_direct_ok(cols, *arrow_target_)) {
    bool exact = false;
    st = write_arrow_direct(root.value(), cols, ops, &exact);
    if (!exact) return st;
    // The budget had no room for the batch's upper bound (its digits and times at their widest):
    // it is encoded aside, and only its exact bytes are waited for, as write() waits for its rows'.
  }
  EncodedRows& rows = arrow_rows_;
  st = encode_arrow_batch(root.value(), ops, *arrow_target_, &rows);
  if (!st.ok()) {
    rows.body.clear();
    return st.prefix(what);
  }
  if (rows.ends.empty()) return Status::OK();

  // The flush timer (buffer_flush_interval_ms) acts between batches only, as in write().
  const auto writer = pipeline_->writer_lock();
  st = reserve_batch(rows.body.size(), "write_arrow");
  if (!st.ok()) return st;
  size_t begin = 0;
  for (size_t end : rows.ends) {
    const size_t n = end - begin;
    std::memcpy(pipeline_->row_space(n), rows.body.data() + begin, n);
    pipeline_->commit_row(n);
    begin = end;
  }
  pipeline_->end_batch();
  rows_written_ += rows.ends.size();
  rows_deleted_ += rows.deletes;
  bytes_written_ += rows.body.size();
  // A large batch's buffer is not kept between calls.
  if (rows.body.capacity() > (8u << 20)) {
    rows.body = std::string();
    rows.ends = std::vector<size_t>();
  }
  return Status::OK();
}

// The memory budget for a batch of `bytes` taken by `call` ("write", "write_arrow"), with the
// caller holding the writer lock; write_timeout_ms bounds the wait. A background failure or a
// cancel makes the sink unusable; otherwise nothing of the batch was taken.
Status Sink::reserve_batch(uint64_t bytes, const char* call) {
  const int64_t wait_ms = reg_.options.write_timeout_ms;
  Status st = pipeline_->reserve(
      bytes, std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max<int64_t>(0, wait_ms)),
      wait_ms <= 0, [&] {
        connector_->log().log(SR_SINK_LOG_DEBUG, "%s to %s waits for the memory budget (%llu bytes held by this sink)",
                              call, full_name_.c_str(), (unsigned long long)pipeline_->held_bytes());
      });
  if (st.ok()) return st;
  Status bg = pipeline_->error();
  if (!bg.ok()) return fail(bg);
  if (st.code() == SR_SINK_E_CANCELLED) return fail(st);
  return st.prefix(std::string(call) + " " + full_name_ + ": ");
}

namespace {
// The direct CSV path's rows go straight into the load buffer (inline: once per row).
class PipelineRows {
 public:
  explicit PipelineRows(Pipeline* p) : p_(p) {}
  char* row_space(size_t bound) { return p_->row_space(bound); }
  void commit_row(size_t len) {
    p_->commit_row(len);
    bytes_ += len;
    ++rows_;
  }
  uint64_t bytes_ = 0, rows_ = 0;

 private:
  Pipeline* p_;
};
}  // namespace

// Flat columns into a CSV body: each row is encoded straight into the load buffer (no batch
// string and no second copy). The budget is taken first for an upper bound of the batch (from
// the Arrow lengths) if it has room for it now, else *exact is set and nothing is taken; a bad
// value takes the whole batch back, as write() does.
Status Sink::write_arrow_direct(const ArrowNode& root, const ArrowColumns& cols, const uint8_t* ops,
                                bool* exact) {
  if (root.length == 0) return Status::OK();
  const auto writer = pipeline_->writer_lock();
  // Not reserve_batch: a bound that does not fit must neither wait nor end the open load (the
  // exact bytes may fit); the exact path then waits, seals and reports as write() does.
  if (!pipeline_->try_reserve(arrow_csv_bound(root, cols, *arrow_target_))) {
    *exact = true;
    return Status::OK();
  }
  PipelineRows rows(pipeline_.get());
  uint64_t deletes = 0;
  csv_direct::csv_direct_prepare(cols, *arrow_target_, &csv_plan_);
  Status st = csv_direct::csv_direct_rows(root, ops, cols, *arrow_target_, &csv_plan_, rows, &deletes);
  if (!st.ok()) {
    pipeline_->rollback_batch();
    return st.prefix("write_arrow " + full_name_ + ": ");
  }
  pipeline_->end_batch();
  rows_written_ += rows.rows_;
  rows_deleted_ += deletes;
  bytes_written_ += rows.bytes_;
  return Status::OK();
}

Status Sink::write(const sr_sink_batch& batch) {
  SRS_RETURN_IF_ERROR(check_usable());
  Status bg = pipeline_->error();
  if (!bg.ok()) return fail(bg);  // a background load failed: reported once, here
  if (batch.n_rows == 0) return Status::OK();
  if (!batch.rows) return invalid("write " + full_name_ + ": rows is NULL");

  // Argument checks first; the size bound for the budget.
  uint64_t estimate = 0;
  for (size_t i = 0; i < batch.n_rows; ++i) {
    const sr_sink_slice& r = batch.rows[i];
    if (!r.data && r.len) return invalid("write " + full_name_ + ": row " + std::to_string(i) + " has data NULL");
    if (batch.ops && batch.ops[i] > SR_SINK_OP_DELETE) {
      return Status::Error(SR_SINK_E_DATA,
                           "write " + full_name_ + ": row " + std::to_string(i) + " has op " +
                               std::to_string(batch.ops[i]) +
                               ", neither SR_SINK_OP_UPSERT (0) nor SR_SINK_OP_DELETE (1)",
                           SR_SINK_ERROR_F_DATA);
    }
    estimate += r.len + Pipeline::kEncodingSlack;  // "__op" and the newline: an upper bound
    if (csv_) estimate += csv_null_bytes_;           // CSV: a left-out column is \N,
  }

  // The flush timer (buffer_flush_interval_ms) acts between batches only.
  const auto writer = pipeline_->writer_lock();
  Status st = reserve_batch(estimate, "write");
  if (!st.ok()) return st;
  // Each row is copied into the load's buffer once, checked there (the buffer's slack lets the
  // SIMD fast path read whole blocks: JSON, columns, key columns) and encoded in place. A bad row
  // takes the whole batch back.
  uint64_t deletes = 0, encoded = 0;
  std::string why;
  for (size_t i = 0; i < batch.n_rows; ++i) {
    const sr_sink_slice& r = batch.rows[i];
    char* dst = pipeline_->row_space(r.len);
    if (r.len) std::memcpy(dst, r.data, r.len);
    const std::string_view row(dst, r.len);
    bool line_break = false;
    const RowCheck::Verdict v = row_check_->check(row, &line_break, &why);
    if (v != RowCheck::Verdict::kOk) {
      pipeline_->rollback_batch();
      return Status::Error(SR_SINK_E_DATA,
                           "write " + full_name_ + ": row " + std::to_string(i) +
                               (v == RowCheck::Verdict::kNotJson ? " is not a valid JSON object: " : "") + why,
                           SR_SINK_ERROR_F_DATA);
    }
    const int op = batch.ops ? batch.ops[i] : SR_SINK_OP_UPSERT;
    deletes += op == SR_SINK_OP_DELETE;
    size_t n;
    if (csv_) {
      // The row was checked where it lies; its CSV line may be longer than the row.
      csv_line_.clear();
      if (!csv_->encode(row, op, &csv_line_, &why)) {
        pipeline_->rollback_batch();
        return Status::Error(SR_SINK_E_DATA,
                             "write " + full_name_ + ": row " + std::to_string(i) + ": " + why,
                             SR_SINK_ERROR_F_DATA);
      }
      n = csv_line_.size();
      std::memcpy(pipeline_->row_space(n), csv_line_.data(), n);
    } else {
      n = encode_row_with_op(dst, row, op, line_break);
    }
    pipeline_->commit_row(n);
    encoded += n;
  }
  pipeline_->end_batch();
  rows_written_ += batch.n_rows;
  rows_deleted_ += deletes;
  bytes_written_ += encoded;
  return Status::OK();
}

Status Sink::flush() {
  Status st = pipeline_->flush();
  if (!st.ok()) return fail(st);
  return Status::OK();
}

void Sink::mark_flushed() {
  flushed_rows_written_ = rows_written_.load();
  flushed_rows_accounted_ = counters_.rows_loaded.load() + counters_.rows_filtered.load();
}

Status Sink::on_watermark(int64_t watermark) {
  SRS_RETURN_IF_ERROR(check_usable());
  // on_checkpoint mode: a no-op (sr_sink.h); the driver is not called, so it never overlaps a
  // send_load.
  if (reg_.options.mode == ExecutionMode::kOnCheckpoint) return Status::OK();
  SRS_RETURN_IF_ERROR(flush());
  SRS_RETURN_IF_ERROR(driver_->on_watermark(watermark));
  mark_flushed();
  return Status::OK();
}

Result<std::string> Sink::on_checkpoint(int64_t checkpoint_id) {
  SRS_RETURN_IF_ERROR(check_usable());
  if (has_checkpoint_ && checkpoint_id <= last_checkpoint_id_) {
    return invalid("on_checkpoint " + full_name_ + ": checkpoint id " +
                   std::to_string(checkpoint_id) + " is not greater than the previous one (" +
                   std::to_string(last_checkpoint_id_) + ")");
  }
  SRS_RETURN_IF_ERROR(flush());
  Result<std::string> token = driver_->on_checkpoint(checkpoint_id);
  if (!token.ok()) {
    if (token.status().flags() & SR_SINK_ERROR_F_FATAL) return fail(token.status());
    return token.status();
  }
  has_checkpoint_ = true;
  last_checkpoint_id_ = checkpoint_id;
  mark_flushed();
  return token;
}

Status Sink::commit(int64_t checkpoint_id) {
  // Allowed after a load failure: committing what an earlier durable checkpoint prepared is
  // still right. Not after cancel, nor after abort (the host is to restore, and recovery commits
  // what its token names).
  if (cancelled_.load()) return check_usable();
  if (!aborted_.ok()) return check_usable();
  Status st = driver_->commit(checkpoint_id);
  if (!st.ok() && (st.flags() & SR_SINK_ERROR_F_FATAL)) return fail(st);
  return st;
}

Status Sink::abort(int64_t checkpoint_id) {
  if (cancelled_.load()) return check_usable();
  Status st = driver_->abort(checkpoint_id);
  // The aborted epoch's rows are in no transaction now: going on would lose them without an
  // error. The sink is failed until the host restores (sr_sink.h, docs/exactly-once.md).
  aborted_ = Status::Error(SR_SINK_E_STATE,
                           "checkpoint " + std::to_string(checkpoint_id) +
                               " was aborted, so its rows are not in StarRocks; close the sink "
                               "and reopen it with the token of the last durable checkpoint, "
                               "then replay from there",
                           SR_SINK_ERROR_F_FATAL);
  if (failed_.ok()) failed_ = aborted_;
  if (!st.ok()) st.with_flags(SR_SINK_ERROR_F_FATAL);
  return st;
}

void Sink::cancel() {
  cancelled_.store(true);
  if (pipeline_) pipeline_->cancel();
}

Status Sink::close() {
  if (closed_) return Status::OK();
  closed_ = true;
  const bool unsent = pipeline_ && pipeline_->has_unsent_data();
  // Abort whatever is in flight (the open load is abandoned: data since the last flush is not
  // loaded), join the I/O thread, then let the driver clean up with HTTP allowed again.
  cancelled_.store(true);
  if (pipeline_) {
    pipeline_->cancel();
    pipeline_->stop();
  }
  cancelled_.store(false);
  Status st = driver_ ? driver_->close() : Status::OK();
  // Rows written since the last watermark/checkpoint that StarRocks did not account for (in
  // on_watermark mode a load cut at batch_max_bytes/rows may have finished already).
  const uint64_t since = rows_written_.load() - flushed_rows_written_;
  const uint64_t accounted = reg_.options.mode == ExecutionMode::kOnWatermark
                                 ? counters_.rows_loaded.load() + counters_.rows_filtered.load() -
                                       flushed_rows_accounted_
                                 : 0;
  const uint64_t not_loaded = since > accounted ? since - accounted : 0;
  if (not_loaded > 0 || unsent) {
    // A WARN for a healthy sink: nothing else tells the host. A failed sink already returned the
    // error that makes the host restore and replay.
    connector_->log().log(
        failed_.ok() ? SR_SINK_LOG_WARN : SR_SINK_LOG_INFO,
        "closed sink for %s with %llu rows not loaded: they were written after the last %s; "
        "the host replays them from its last checkpoint",
        full_name_.c_str(), (unsigned long long)not_loaded,
        reg_.options.mode == ExecutionMode::kOnWatermark ? "watermark" : "checkpoint");
  } else {
    connector_->log().log(SR_SINK_LOG_INFO, "closed sink for %s", full_name_.c_str());
  }
  return st;
}

void Sink::stats(sr_sink_stats* out) const {
  out->rows_written = rows_written_.load();
  out->rows_deleted = rows_deleted_.load();
  out->bytes_written = bytes_written_.load();
  out->rows_loaded = counters_.rows_loaded.load();
  out->rows_filtered = counters_.rows_filtered.load();
  out->bytes_sent = counters_.bytes_sent.load();
  out->loads = counters_.loads.load();
  out->load_failures = counters_.load_failures.load();
  out->retries = counters_.retries.load();
  out->txns_begun = counters_.txns_begun.load();
  out->txns_prepared = counters_.txns_prepared.load();
  out->txns_committed = counters_.txns_committed.load();
  out->txns_aborted = counters_.txns_aborted.load();
  out->buffered_bytes = pipeline_ ? pipeline_->held_bytes() : 0;
  out->last_load_ms = counters_.last_load_ms.load();
  out->server_load_ms = counters_.server_load_ms.load();
  out->rows_rejected = counters_.rows_rejected.load();
  out->throttle_episodes = counters_.throttle_episodes.load();
  out->throttle_wait_ms = counters_.throttle_wait_ms.load();
  out->fe_failovers = counters_.fe_failovers.load();
}

}  // namespace srs
