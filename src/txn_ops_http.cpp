// TxnOps over HttpClient: the request shapes of spec §4.2/§4.3 and §3.10. No retries here.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compress.h"
#include "http.h"
#include "load_columns.h"
#include "mode_driver.h"
#include "txn_ops.h"
#include "wire_format.h"
#include "sql_api.h"

namespace srs {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpTxnOps final : public TxnOps {
 public:
  explicit HttpTxnOps(const SinkContext& ctx) : ctx_(ctx) {
    // Every load of a transaction must carry identical load headers ("load request not equal
    // last."), so they are computed once. ignore_json_size: the BE's 100 MB JSON check adds up
    // the loads of a whole transaction (spec §4.6).
    // Option `compression`: every load's body is one compressed frame, so every load carries
    // the header (wire_format.h). begin/prepare/commit/rollback have no body and no such header.
    load_headers_ = body_format_headers(*ctx.options);
    load_headers_.emplace_back("columns", load_columns_header(ctx.columns));
    if (ctx.options->format == WireFormat::kJson) load_headers_.emplace_back("ignore_json_size", "true");
    for (const auto& p : ctx.options->properties) load_headers_.push_back(p);
  }

  TxnCall begin(const std::string& label) override {
    Headers h = base(label);
    // The PREPARE → PREPARED deadline; the whole epoch must fit in it (spec §4.3).
    h.emplace_back("timeout", std::to_string(ctx_.options->load_timeout_s));
    return call("begin", std::move(h), nullptr);
  }

  TxnCall load(const std::string& label, BodySource& body) override {
    Headers h = base(label);
    h.insert(h.end(), load_headers_.begin(), load_headers_.end());
    if (ctx_.options->compression == Compression::kNone) {
      TxnCall out = call("load", std::move(h), &body);
      if (out.answered() && out.reply.outcome == Outcome::kSuccess) count_sent(body.bytes());
      return out;
    }
    TxnCall out;
    if (!compression_.compressor) {
      auto c = make_compressor(ctx_.options->compression, ctx_.options->compression_level);
      if (!c.ok()) {
        out.transport = Status(c.status()).prefix("load " + label + ": ").with_label(label);
        return out;  // nothing was sent
      }
      compression_.compressor = std::move(c).value();
    }
    CompressingBody wire(body, compression_);
    out = call("load", std::move(h), &wire);
    if (!wire.error().ok()) {
      // Part of an incomplete frame may have been sent: not repeatable, the epoch rolls back.
      out.transport = Status(wire.error()).prefix("load " + label + ": ").with_label(label);
      out.maybe_delivered = true;
      return out;
    }
    if (out.answered() && out.reply.outcome == Outcome::kSuccess) count_sent(wire.wire_bytes());
    return out;
  }

  // bytes_sent counts the bytes on the wire of every load StarRocks accepted.
  void count_sent(uint64_t bytes) {
    if (ctx_.counters) ctx_.counters->bytes_sent.fetch_add(bytes, std::memory_order_relaxed);
  }

  TxnCall prepare(const std::string& label) override {
    return call("prepare", base(label), nullptr);
  }
  TxnCall commit(const std::string& label) override { return call("commit", base(label), nullptr); }
  TxnCall rollback(const std::string& label) override {
    return call("rollback", base(label), nullptr);
  }

  Result<std::string> load_state(const std::string& label) override {
    HttpRequest req;
    req.method = "GET";
    req.target = "/api/" + url_escape(ctx_.db) + "/get_load_state?label=" + url_escape(label);
    HttpResult res = ctx_.http->perform(req);
    if (!res.status.ok()) return Status(res.status).prefix("get_load_state " + label + ": ");
    std::string error;
    std::string state = parse_load_state(res.response.status, res.response.body, &error);
    if (state.empty()) {
      return Status::Error(SR_SINK_E_TXN, "get_load_state " + label + ": " + error,
                           SR_SINK_ERROR_F_RETRYABLE)
          .with_http_status(res.response.status)
          .with_label(label);
    }
    return state;
  }

  // POST /api/v1/catalogs/default_catalog/databases/{db}/sql (spec §5.3): a SELECT answers NDJSON,
  // one {"data":[...]} line per row. information_schema.stream_loads lists the FE's stream load
  // tasks (StreamLoadMgr), which include every Transaction Stream Load label until it is cleaned
  // (stream_load_task_keep_max_second; unfinished tasks are kept).
  Result<std::vector<ListedLabel>> list_labels() override {
    const std::string query =
        "SELECT LABEL, STATE FROM information_schema.stream_loads WHERE DB_NAME = " +
        sql_string(ctx_.db) + " AND TABLE_NAME = " + sql_string(ctx_.table);
    HttpResult res = ctx_.http->perform(sql_request(
        "/api/v1/catalogs/default_catalog/databases/" + url_escape(ctx_.db) + "/sql", query));
    if (!res.status.ok()) return Status(res.status).prefix("listing labels: ");
    if (res.response.status != 200) {
      return Status::Error(SR_SINK_E_NOT_SUPPORTED,
                           "listing labels: HTTP SQL API answered HTTP " +
                               std::to_string(res.response.status) + ": " +
                               res.response.body.substr(0, 200));
    }
    // A body with no meta line is not a SELECT answer.
    SqlAnswer answer = parse_sql_answer(res.response.body);
    if (!answer.has_meta) {
      return Status::Error(SR_SINK_E_NOT_SUPPORTED,
                           "listing labels: the HTTP SQL API answer has no result set: " +
                               res.response.body.substr(0, 200));
    }
    std::vector<ListedLabel> out;
    for (const auto& row : answer.rows) {
      if (row.size() >= 2 && !row[0].empty()) out.push_back(ListedLabel{row[0], row[1]});
    }
    return out;
  }

  Status cancel(const std::string& label) override {
    HttpRequest req;
    req.method = "POST";
    req.target = "/api/" + url_escape(ctx_.db) + "/" + url_escape(ctx_.table) +
                 "/_cancel?label=" + url_escape(label);
    HttpResult res = ctx_.http->perform(req);
    if (!res.status.ok()) return Status(res.status).prefix("_cancel " + label + ": ");
    LoadReply r = classify_load_reply(res.response.status, res.response.body);
    if (r.outcome == Outcome::kSuccess) return Status::OK();
    return Status::Error(SR_SINK_E_TXN, "_cancel " + label + ": " + r.status + " " + r.message)
        .with_http_status(res.response.status)
        .with_label(label);
  }

 private:
  Headers base(const std::string& label) const {
    return {{"label", label}, {"db", ctx_.db}, {"table", ctx_.table}};
  }

  TxnCall call(const char* op, Headers headers, BodySource* body) {
    HttpRequest req;
    // begin/prepare/commit/rollback: POST with an empty body; load: PUT (the FE does not read PUT
    // bodies, it answers 307 to the coordinator BE first; spec §4.2).
    req.method = body ? "PUT" : "POST";
    req.target = std::string("/api/transaction/") + op;
    req.headers = std::move(headers);
    req.stream = body;
    req.expect_continue = body != nullptr;
    if (body) {
      // The BE aborts the transaction after `timeout`; the margin lets its answer arrive. The
      // sink's body source never blocks long (it cuts idle requests), so a dead peer is detected.
      req.timeout_ms = ctx_.options->load_timeout_s * 1000 + 60000;
      req.detect_stall = true;
    }
    HttpResult res = ctx_.http->perform(req);
    TxnCall out;
    out.transport = res.status;
    out.maybe_delivered = res.maybe_delivered;
    if (!res.status.ok()) return out;
    out.http_status = res.response.status;
    out.reply = classify_load_reply(res.response.status, res.response.body);
    return out;
  }

  const SinkContext& ctx_;
  Headers load_headers_;
  BodyCompression compression_;  // kept between loads
};

}  // namespace

std::unique_ptr<TxnOps> make_http_txn_ops(const SinkContext& ctx) {
  return std::make_unique<HttpTxnOps>(ctx);
}

}  // namespace srs
