// HTTP to StarRocks over libcurl: one HttpClient per sink, bound to the sink's table for
// credentials. Used by the schema discovery, the on_watermark driver (stream_load.cpp) and the
// on_checkpoint driver (txn_*.cpp).
//
// What every request gets, so callers never deal with it:
//   - FE failover: a relative target ("/api/...") is sent to the FE URLs of `http_url` in turn,
//     starting with the last one that answered and skipping FEs that failed recently (health
//     shared by the connector, HttpShared). The first hop moves to the next FE when the
//     connection cannot be made, when the FE answers 5xx or "current fe is not master", or when
//     it gives no answer within request_timeout_ms (a hung FE; for loads, the answer to the
//     header phase). Only requests that are safe to repeat get there: an FE only redirects
//     loads, and the operations it performs itself are idempotent by label or reads.
//   - 307 handled here, not by curl (spec §2.2): same method, all headers, credentials re-sent to
//     the redirect target, body replayed (BodySource::rewind); at most kMaxRedirects hops; an
//     https → http downgrade is refused.
//   - Credentials: the host callback is asked before every request (secrets can rotate); after a
//     401 it is asked once more with after_auth_failure = 1 and the request is repeated once.
//     The secret is wiped after use and never logged (headers are never logged).
//   - sr_sink_cancel: the request is aborted soon after the sink's cancel flag is set.
//   - Keep-alive: curl easy handles are pooled per client, and connections live in the
//     connector's shared cache (HttpShared), so every sink of a connector reuses them.
//
// Thread-safety: perform() may be called concurrently from several threads (each call takes its
// own easy handle from the pool).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "options.h"
#include "status.h"

namespace srs {

class BodySource;           // mode_driver.h
class CredentialsProvider;  // credentials.h
class HttpShared;           // http_shared.h
class Logger;               // log.h

struct HttpRequest {
  // "GET", "POST" or "PUT". POST/PUT always carry a body (possibly empty).
  std::string method = "GET";
  // Either a path with query on the FE ("/api/shop/orders/_stream_load", already escaped with
  // url_escape where needed), or an absolute URL ("http://be:8040/api/_load_error_log?file=x"),
  // which is used as is (no failover).
  std::string target;
  // Extra headers. Never Authorization, Expect, Content-Length or Transfer-Encoding: the client
  // sets those.
  std::vector<std::pair<std::string, std::string>> headers;
  // The body when `stream` is null (sent with Content-Length).
  std::string body;
  // A streamed body, sent with Transfer-Encoding: chunked. Must stay valid for the call. Replayed
  // with rewind() for a redirect or an auth retry; if it is not replayable once bytes were read,
  // the request fails (maybe_delivered = false: the server rolls an incomplete body back).
  BodySource* stream = nullptr;
  // Send `Expect: 100-continue` and wait (up to 30 s) for 100 or a final status before sending the
  // body: the FE answers 307 before reading any body byte (spec §2.3).
  bool expect_continue = false;
  // Whole-request deadline per hop; 0 = options.request_timeout_ms.
  int64_t timeout_ms = 0;
  // Abort a request during which no byte moved for a long time (dead peer). Only for requests
  // whose body source never blocks longer than kStallSeconds (see stream_load.cpp).
  bool detect_stall = false;
  // Send credentials (false for BE error-log downloads).
  bool authenticate = true;
};

struct HttpResponse {
  int status = 0;          // final HTTP status (never 307: redirects are followed)
  std::string body;        // truncated to kMaxResponseBody bytes
  std::string url;         // the URL that gave this answer (after redirects), without userinfo
  int redirects = 0;       // 307 hops followed
};

struct HttpResult {
  // OK iff an HTTP answer arrived (any status, including 4xx/5xx: the caller classifies it).
  // Otherwise SR_SINK_E_NETWORK / SR_SINK_E_TIMEOUT (F_RETRYABLE), SR_SINK_E_AUTH (callback
  // failed, or 401 again after the rotated credentials; http_status 401), SR_SINK_E_CANCELLED.
  Status status;
  HttpResponse response;
  // Only meaningful when !status.ok(): true if request bytes may have reached a server that acts
  // on them (the failure came after the connection was made, or the reply was lost). The outcome
  // of such a request is unknown: settle it (get_load_state) before repeating it.
  bool maybe_delivered = false;
};

class HttpClient {
 public:
  static constexpr int kMaxRedirects = 3;
  static constexpr long kExpectContinueTimeoutMs = 30000;  // the BE sends 100 after txn begin+plan
  // detect_stall window: longer than the silent phases of a healthy load (the BE's commit and
  // publish wait); a stall ends as an unknown outcome, which the caller settles.
  static constexpr long kStallSeconds = 120;
  static constexpr size_t kMaxResponseBody = 1 << 20;

  // `options`, `credentials`, `log` and `cancelled` must outlive the client. `table` ("db.table")
  // is what the credentials callback is told.
  // `shared` (connection cache, FE health; may be null) must outlive the client; `failovers`
  // (may be null) counts requests moved to another FE.
  HttpClient(const Options& options, const CredentialsProvider* credentials, std::string table,
             const Logger* log, const std::atomic<bool>* cancelled, HttpShared* shared = nullptr,
             std::atomic<uint64_t>* failovers = nullptr);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult perform(const HttpRequest& request);

  // The FE base URL requests currently go to first ("http://fe:8030").
  std::string current_fe() const;

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  const Options& options_;
  const CredentialsProvider* credentials_;
  std::string table_;
  const Logger* log_;
  const std::atomic<bool>* cancelled_;
  HttpShared* shared_;
  std::atomic<uint64_t>* failovers_;
  std::atomic<size_t> preferred_fe_{0};
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Handle>> pool_;
};

// Percent-encodes everything outside [A-Za-z0-9-_.~] (path segments and query values).
std::string url_escape(std::string_view s);

// curl_global_init(CURL_GLOBAL_DEFAULT) exactly once per process (std::call_once).
void http_global_init();

// "libcurl/7.88.1 OpenSSL/3.0.19 ..." (curl_version_info), for sr_sink_build_info.
const char* http_library_version();

}  // namespace srs
