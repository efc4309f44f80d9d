// on_watermark mode: each load request of the pipeline is one labelled plain Stream Load
// (spec §3). At-least-once: a retry resends the same label with the same body, so StarRocks
// deduplicates (`Label Already Exists` + FINISHED = success); an unknown outcome is settled with
// get_load_state before anything is resent (spec §9).
#include <chrono>
#include <memory>
#include <string>

#include "backoff.h"
#include "classify.h"
#include "compress.h"
#include "http.h"
#include "label.h"
#include "load_columns.h"
#include "log.h"
#include "mode_driver.h"
#include "rejected_rows.h"
#include "wire_format.h"

namespace srs {
namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

std::string lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  return s;
}

// "StarRocks answered Fail: current fe is not master" / "StarRocks answered HTTP 500".
std::string describe(const LoadReply& reply, int http_status) {
  std::string what = reply.status.empty() ? "HTTP " + std::to_string(http_status) : reply.status;
  if (!reply.message.empty() && reply.message != what) what += ": " + redact(reply.message);
  return "StarRocks answered " + what;
}

class WatermarkDriver final : public ModeDriver {
 public:
  explicit WatermarkDriver(const SinkContext& ctx)
      : ctx_(ctx), run_id_(new_run_id()), columns_(load_columns_header(ctx_.columns)) {}

  Status open(std::string_view) override {
    // A fresh run id per open: a restarted writer never reuses a FINISHED label of an earlier
    // run, which StarRocks would answer with "Label Already Exists" and drop the data.
    log(SR_SINK_LOG_DEBUG, "on_watermark sink %s.%s opened, run id %s", ctx_.db.c_str(),
        ctx_.table.c_str(), run_id_.c_str());
    return Status::OK();
  }
  bool replayable_bodies() const override { return true; }
  Status send_load(BodySource& body) override;
  Status on_watermark(int64_t) override { return Status::OK(); }
  Result<std::string> on_checkpoint(int64_t checkpoint_id) override {
    // Names no transaction: in this mode the flush made everything visible already.
    return std::string("{\"v\":1,\"mode\":\"on_watermark\",\"checkpoint_id\":") +
           std::to_string(checkpoint_id) + ",\"txns\":[]}";
  }
  Status commit(int64_t) override { return Status::OK(); }
  Status abort(int64_t) override { return Status::OK(); }
  Status close() override { return Status::OK(); }

 private:
  enum class Settled { kLoaded, kNotLoaded };

  template <typename... Args>
  void log(int32_t level, const char* fmt, Args... args) const {
    if (ctx_.log && ctx_.log->enabled(level)) ctx_.log->log(level, fmt, args...);
  }
  std::string table_name() const { return ctx_.db + "." + ctx_.table; }
  bool cancelled() const { return ctx_.cancelled && ctx_.cancelled->load(); }
  Status cancelled_status(const std::string& label) const {
    return Status::Error(SR_SINK_E_CANCELLED, "load " + label + " into " + table_name() + " cancelled")
        .with_label(label);
  }

  HttpRequest load_request(BodySource& body, const std::string& label) const;
  Result<Settled> settle(const std::string& label);
  Status succeeded(const std::string& label, BodySource& body, const LoadReply* reply,
                   Clock::time_point start, int attempts);
  Status data_error(const std::string& label, const LoadReply& reply, int http_status);

  SinkContext ctx_;
  std::string run_id_;
  std::string columns_;
  uint64_t seq_ = 0;
  BodyCompression compression_;  // kept between loads (option `compression`)
};

HttpRequest WatermarkDriver::load_request(BodySource& body, const std::string& label) const {
  HttpRequest req;
  req.method = "PUT";
  req.target = "/api/" + url_escape(ctx_.db) + "/" + url_escape(ctx_.table) + "/_stream_load";
  req.headers = {{"label", label},
                 {"timeout", std::to_string(ctx_.options->load_timeout_s)},
                 {"columns", columns_}};
  for (auto& h : body_format_headers(*ctx_.options)) req.headers.push_back(std::move(h));
  for (const auto& p : ctx_.options->properties) req.headers.push_back(p);
  req.stream = &body;
  req.expect_continue = true;  // the FE answers 307 before any body byte is read (spec §2.3)
  // The BE aborts the load after `timeout`; the margin lets its answer arrive.
  req.timeout_ms = ctx_.options->load_timeout_s * 1000 + 60000;
  req.detect_stall = true;
  return req;
}

Status WatermarkDriver::send_load(BodySource& body) {
  const std::string label = watermark_label(ctx_.options->label_prefix, ctx_.table, run_id_, ++seq_);
  // With `compression`, the request carries one compressed frame of `body`; a retry rewinds it
  // and sends the identical bytes under the same label.
  const bool compress = ctx_.options->compression != Compression::kNone;
  if (compress && !compression_.compressor) {
    auto c = make_compressor(ctx_.options->compression, ctx_.options->compression_level);
    if (!c.ok()) return Status(c.status()).prefix("load " + label + ": ").with_label(label);
    compression_.compressor = std::move(c).value();
  }
  std::unique_ptr<CompressingBody> compressed;
  if (compress) compressed = std::make_unique<CompressingBody>(body, compression_);
  BodySource& wire = compress ? static_cast<BodySource&>(*compressed) : body;
  const Clock::time_point start = Clock::now();
  const int max_attempts = 1 + std::max(0, ctx_.options->max_retries);
  Status last;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    if (attempt > 1) {
      ctx_.counters->retries++;
      int64_t delay = backoff_ms(ctx_.options->retry_backoff_ms, attempt - 1);
      log(SR_SINK_LOG_WARN, "load %s into %s: attempt %d failed (%s); retrying in %lld ms",
          label.c_str(), table_name().c_str(), attempt - 1, redact(last.message()).c_str(),
          (long long)delay);
      if (!sleep_unless_cancelled(delay, ctx_.cancelled)) return cancelled_status(label);
    }
    if (!wire.rewind()) {
      return Status::Error(SR_SINK_E_INTERNAL, "load " + label + ": body cannot be replayed")
          .with_label(label);
    }
    log(SR_SINK_LOG_DEBUG, "load %s into %s: sending, attempt %d", label.c_str(),
        table_name().c_str(), attempt);
    HttpResult res = ctx_.http->perform(load_request(wire, label));
    // Bytes on the wire: the compressed frame's when compressing.
    if (res.status.ok() || res.maybe_delivered) {
      ctx_.counters->bytes_sent += compress ? compressed->wire_bytes() : body.bytes();
    }
    if (compress && !compressed->error().ok()) {
      // The frame could not be completed; the BE cannot have loaded a truncated frame.
      ctx_.counters->load_failures++;
      return Status(compressed->error()).prefix("load " + label + " into " + table_name() + ": ")
          .with_label(label);
    }
    if (!res.status.ok()) {
      Status st = res.status;
      st.with_label(label);
      if (st.code() == SR_SINK_E_CANCELLED || cancelled()) return cancelled_status(label);
      ctx_.counters->load_failures++;
      if (!st.retryable()) {
        return st.prefix("load " + label + " into " + table_name() + ": ");
      }
      last = st;
      if (res.maybe_delivered) {
        // Some body bytes may have reached the BE, or the reply was lost: find out first.
        Result<Settled> s = settle(label);
        if (!s.ok()) return s.status();
        if (s.value() == Settled::kLoaded) return succeeded(label, body, nullptr, start, attempt);
      }
      continue;
    }

    const int http_status = res.response.status;
    LoadReply reply = classify_load_reply(http_status, res.response.body);
    switch (reply.outcome) {
      case Outcome::kSuccess:
      case Outcome::kAlreadyFinished:  // an earlier attempt of this label loaded it
        return succeeded(label, body, &reply, start, attempt);
      case Outcome::kAlreadyRunning:   // an earlier attempt may still be running on the BE
      case Outcome::kTxnNotExists:
      case Outcome::kUnknown: {
        ctx_.counters->load_failures++;
        last = Status::Error(SR_SINK_E_LOAD, describe(reply, http_status), SR_SINK_ERROR_F_RETRYABLE)
                   .with_http_status(http_status).with_label(label);
        Result<Settled> s = settle(label);
        if (!s.ok()) return s.status();
        if (s.value() == Settled::kLoaded) return succeeded(label, body, &reply, start, attempt);
        continue;
      }
      case Outcome::kRetryable:
      case Outcome::kTxnInProcessing:
        ctx_.counters->load_failures++;
        last = Status::Error(SR_SINK_E_LOAD, describe(reply, http_status), SR_SINK_ERROR_F_RETRYABLE)
                   .with_http_status(http_status).with_label(label);
        continue;
      case Outcome::kDataError:
        ctx_.counters->load_failures++;
        return data_error(label, reply, http_status);
      case Outcome::kPermanent: {
        ctx_.counters->load_failures++;
        const std::string m = lower(reply.message);
        int32_t code = (m.find("access denied") != std::string::npos ||
                        m.find("no valid basic authorization") != std::string::npos)
                           ? SR_SINK_E_AUTH
                           : SR_SINK_E_LOAD;
        return Status::Error(code, "StarRocks refused load " + label + " into " + table_name() +
                                       ": " + redact(reply.message))
            .with_http_status(http_status).with_label(label);
      }
    }
  }
  Status st = Status::Error(last.code() ? last.code() : SR_SINK_E_LOAD,
                            "load " + label + " into " + table_name() + " failed after " +
                                std::to_string(max_attempts) + " attempts: " + last.message(),
                            SR_SINK_ERROR_F_RETRYABLE);
  return st.with_http_status(last.http_status()).with_label(label);
}

Result<WatermarkDriver::Settled> WatermarkDriver::settle(const std::string& label) {
  HttpRequest req;
  req.target = "/api/" + url_escape(ctx_.db) + "/get_load_state?label=" + url_escape(label);
  // A PREPARE load ends within its timeout on the BE; wait a little longer than that.
  const Clock::time_point deadline =
      Clock::now() + std::chrono::seconds(ctx_.options->load_timeout_s + 60);
  int failures = 0;
  int polls = 0;
  for (;;) {
    if (cancelled()) return cancelled_status(label);
    HttpResult res = ctx_.http->perform(req);
    std::string state, why;
    if (res.status.ok()) {
      state = parse_load_state(res.response.status, res.response.body, &why);
    } else {
      if (res.status.code() == SR_SINK_E_CANCELLED) return cancelled_status(label);
      why = res.status.message();
      if (!res.status.retryable()) {
        return Status(res.status).prefix("cannot settle load " + label + ": ").with_label(label);
      }
    }
    if (state == "VISIBLE" || state == "COMMITTED") {
      log(SR_SINK_LOG_INFO, "load %s into %s: get_load_state says %s, so it is loaded",
          label.c_str(), table_name().c_str(), state.c_str());
      return Settled::kLoaded;
    }
    if (state == "UNKNOWN" || state == "ABORTED") return Settled::kNotLoaded;
    int64_t delay;
    if (state.empty()) {
      if (++failures > std::max(0, ctx_.options->max_retries)) {
        return Status::Error(SR_SINK_E_NETWORK, "cannot settle the outcome of load " + label +
                                                    " into " + table_name() + " (get_load_state): " +
                                                    redact(why),
                             SR_SINK_ERROR_F_RETRYABLE)
            .with_label(label);
      }
      delay = backoff_ms(ctx_.options->retry_backoff_ms, failures);
    } else {
      // PREPARE/PREPARED: another attempt of this label is still running; wait for its end.
      if (Clock::now() > deadline) {
        return Status::Error(SR_SINK_E_TIMEOUT, "load " + label + " into " + table_name() +
                                                    " stayed " + state + " past its timeout",
                             SR_SINK_ERROR_F_RETRYABLE)
            .with_label(label);
      }
      delay = std::min<int64_t>(backoff_ms(std::max<int64_t>(ctx_.options->retry_backoff_ms, 50),
                                           ++polls),
                                5000);
    }
    if (!sleep_unless_cancelled(delay, ctx_.cancelled)) return cancelled_status(label);
  }
}

Status WatermarkDriver::succeeded(const std::string& label, BodySource& body,
                                  const LoadReply* reply, Clock::time_point start, int attempts) {
  const int64_t ms = ms_since(start);
  const uint64_t rows = (reply && reply->outcome == Outcome::kSuccess)
                            ? (uint64_t)reply->rows_loaded
                            : body.rows();
  ctx_.counters->loads++;
  ctx_.counters->rows_loaded += rows;
  if (reply) {
    ctx_.counters->rows_filtered += (uint64_t)std::max<int64_t>(0, reply->rows_filtered);
    ctx_.counters->server_load_ms += (uint64_t)std::max<int64_t>(0, reply->load_time_ms);
  }
  ctx_.counters->last_load_ms = (uint64_t)ms;
  log(SR_SINK_LOG_INFO, "load %s finished: %llu rows, %llu bytes into %s in %lld ms (%d attempt%s)%s",
      label.c_str(), (unsigned long long)rows, (unsigned long long)body.bytes(),
      table_name().c_str(), (long long)ms, attempts, attempts == 1 ? "" : "s",
      reply && reply->outcome == Outcome::kAlreadyFinished ? ", label already loaded" : "");
  if (reply && reply->rows_filtered > 0) {
    // Visible already; the rejected rows go to the host (a refusal fails this load's outcome,
    // and the host's replay re-upserts and reports them again).
    std::string summary;
    return report_rejected_rows(ctx_, label, reply->rows_filtered, reply->error_url,
                                /*load_failed=*/false, &summary);
  }
  return Status::OK();
}

Status WatermarkDriver::data_error(const std::string& label, const LoadReply& reply,
                                   int http_status) {
  std::string msg = "StarRocks rejected rows of load " + label + " into " + table_name() + ": " +
                    reply.message;
  // The rejected rows go to the host's callback; the message names the first reasons.
  if (!reply.error_url.empty() || reply.rows_filtered > 0) {
    std::string summary;
    Status reported = report_rejected_rows(ctx_, label, std::max<int64_t>(1, reply.rows_filtered),
                                           reply.error_url, /*load_failed=*/true, &summary);
    msg += summary;
    if (!reported.ok() && reported.code() != SR_SINK_E_DATA) return reported;  // cancelled
  }
  log(SR_SINK_LOG_ERROR, "%s", redact(msg).c_str());
  return Status::Error(SR_SINK_E_DATA, redact(msg), SR_SINK_ERROR_F_DATA)
      .with_http_status(http_status)
      .with_label(label);
}

}  // namespace

std::unique_ptr<ModeDriver> make_watermark_driver(const SinkContext& ctx) {
  return std::make_unique<WatermarkDriver>(ctx);
}

}  // namespace srs
