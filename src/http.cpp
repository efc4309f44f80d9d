// HttpClient over libcurl easy handles. See http.h for the behaviour every request gets.
#include "http.h"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <strings.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "be_address.h"
#include "credentials.h"
#include "http_shared.h"
#include "log.h"
#include "mode_driver.h"

namespace srs {

struct HttpClient::Handle {
  CURL* easy = nullptr;
  ~Handle() {
    if (easy) curl_easy_cleanup(easy);
  }
};

namespace {

using Clock = std::chrono::steady_clock;

// State of one hop (one curl_easy_perform).
struct Transfer {
  const HttpRequest* req = nullptr;
  const std::atomic<bool>* cancelled = nullptr;
  size_t fixed_pos = 0;         // read position in req->body
  bool body_cancelled = false;  // the BodySource reported cancellation
  bool body_read = false;       // curl asked for body bytes (sent or only buffered)
  std::string response;
  // First hop of a load to an FE: it must answer the header phase (100 Continue or a final
  // status) by this time, or it is taken as hung (request_timeout_ms).
  bool answer_deadline_set = false;
  Clock::time_point answer_deadline{};
  std::atomic<bool> got_header{false};
  bool answer_timed_out = false;
};

size_t on_header(char*, size_t size, size_t nitems, void* userp) {
  static_cast<Transfer*>(userp)->got_header.store(true, std::memory_order_relaxed);
  return size * nitems;
}

size_t on_read(char* buf, size_t size, size_t nitems, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  size_t cap = size * nitems;
  t->body_read = true;
  if (t->req->stream) {
    bool cancelled = false;
    size_t n = t->req->stream->read(buf, cap, &cancelled);
    if (cancelled) {
      t->body_cancelled = true;
      return CURL_READFUNC_ABORT;
    }
    return n;
  }
  const std::string& body = t->req->body;
  size_t n = std::min(cap, body.size() - t->fixed_pos);
  std::memcpy(buf, body.data() + t->fixed_pos, n);
  t->fixed_pos += n;
  return n;
}

// curl rewinds the body itself when it resends a request on a reused connection that turned out
// to be dead; only a rewind to the start is ever needed.
int on_seek(void* userp, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(userp);
  if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  if (t->req->stream) return t->req->stream->rewind() ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_CANTSEEK;
  t->fixed_pos = 0;
  return CURL_SEEKFUNC_OK;
}

size_t on_write(char* data, size_t size, size_t nmemb, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  size_t n = size * nmemb;
  size_t room = HttpClient::kMaxResponseBody - std::min(HttpClient::kMaxResponseBody, t->response.size());
  t->response.append(data, std::min(n, room));
  return n;  // the rest is dropped, not an error
}

int on_progress(void* userp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(userp);
  if (t->cancelled && t->cancelled->load(std::memory_order_relaxed)) return 1;
  if (t->answer_deadline_set && !t->got_header.load(std::memory_order_relaxed) &&
      Clock::now() >= t->answer_deadline) {
    t->answer_timed_out = true;
    return 1;
  }
  return 0;
}

// An FE's answer that says another FE must be asked: it refused before doing anything (not the
// leader) or failed on its own (5xx). Only for first hops answered by the FE itself.
bool fe_should_fail_over(long status, const std::string& body) {
  if (status >= 500) return true;
  std::string b = body.substr(0, 4096);
  for (char& c : b) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  return b.find("current fe is not master") != std::string::npos ||
         b.find("non-master fe") != std::string::npos;
}

// A header list that wipes the Authorization line before freeing it.
class HeaderList {
 public:
  ~HeaderList() {
    for (curl_slist* p = list_; p; p = p->next) {
      if (strncasecmp(p->data, "Authorization:", 14) == 0) OPENSSL_cleanse(p->data, std::strlen(p->data));
    }
    curl_slist_free_all(list_);
  }
  bool add(const std::string& line) {
    curl_slist* n = curl_slist_append(list_, line.c_str());
    if (!n) return false;
    list_ = n;
    return true;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

bool is_absolute(const std::string& target) {
  return target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0;
}

// Failures where no byte of the request can have reached a server.
bool is_connect_failure(CURLcode rc) {
  return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
         rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_SSL_CONNECT_ERROR;
}

// "be-0.svc:8040" of "http://be-0.svc:8040/api/...".
std::string host_port(const std::string& url) {
  size_t sep = url.find("://");
  size_t start = sep == std::string::npos ? 0 : sep + 3;
  size_t end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string strip_userinfo(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t host_start = scheme + 3;
  size_t path = url.find('/', host_start);
  size_t at = url.find('@', host_start);
  if (at == std::string::npos || (path != std::string::npos && at > path)) return url;
  return url.substr(0, host_start) + url.substr(at + 1);
}

}  // namespace

void http_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

const char* http_library_version() {
  http_global_init();
  return curl_version();
}

std::string url_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

HttpClient::HttpClient(const Options& options, const CredentialsProvider* credentials,
                       std::string table, const Logger* log, const std::atomic<bool>* cancelled,
                       HttpShared* shared, std::atomic<uint64_t>* failovers)
    : options_(options),
      credentials_(credentials),
      table_(std::move(table)),
      log_(log),
      cancelled_(cancelled),
      shared_(shared),
      failovers_(failovers) {
  http_global_init();
}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Handle> HttpClient::acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      auto h = std::move(pool_.back());
      pool_.pop_back();
      curl_easy_reset(h->easy);  // keeps live connections for reuse
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->easy = curl_easy_init();
  if (!h->easy) return nullptr;
  return h;
}

void HttpClient::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (pool_.size() < 4) pool_.push_back(std::move(handle));
}

std::string HttpClient::current_fe() const {
  if (options_.http_urls.empty()) return "";
  return options_.http_urls[preferred_fe_.load() % options_.http_urls.size()];
}

HttpResult HttpClient::perform(const HttpRequest& req) {
  HttpResult result;
  auto fail = [&](Status st, bool maybe_delivered) {
    result.status = std::move(st);
    result.maybe_delivered = maybe_delivered;
    return result;
  };
  if (cancelled_ && cancelled_->load()) {
    return fail(Status::Error(SR_SINK_E_CANCELLED, "cancelled"), false);
  }
  auto handle = acquire();
  if (!handle) return fail(Status::Error(SR_SINK_E_NO_MEMORY, "curl_easy_init failed"), false);

  SecretString authorization;
  bool auth_retried = false;
  if (req.authenticate && credentials_) {
    Status st = credentials_->authorization(table_, false, &authorization);
    if (!st.ok()) return fail(st, false);
  }

  const bool relative = !is_absolute(req.target);
  const size_t n_fe = relative ? options_.http_urls.size() : 1;
  if (relative && n_fe == 0) {
    return fail(Status::Error(SR_SINK_E_CONFIG, "no http_url configured"), false);
  }
  size_t fe_index = relative ? preferred_fe_.load() % n_fe : 0;
  if (relative && shared_) {
    // Skip FEs that failed recently, unless all did.
    for (size_t i = 0; i < n_fe; ++i) {
      size_t k = (fe_index + i) % n_fe;
      if (!shared_->is_down(options_.http_urls[k])) {
        fe_index = k;
        break;
      }
    }
  }
  size_t fe_tried = 0;
  // An absolute target is a BE's (ErrorURL): as advertised, then mapped (be_address_map).
  std::string url = relative ? options_.http_urls[fe_index] + req.target
                             : map_be_address(req.target, options_.be_address_map);
  std::string connect_errors;  // per FE, for the failover error message
  const int64_t timeout_ms = req.timeout_ms > 0 ? req.timeout_ms : options_.request_timeout_ms;
  char errbuf[CURL_ERROR_SIZE];
  bool body_consumed = false;  // whether any hop may have read body bytes

  // Moves the first hop to the next FE of http_url; false when there is none left to try or the
  // body cannot be sent again. `why` is kept for the final error.
  auto next_fe = [&](int hop, const std::string& shown, const std::string& why) {
    if (!relative || hop != 0 || fe_tried + 1 >= n_fe) return false;
    if (req.stream && body_consumed && !req.stream->rewind()) return false;
    connect_errors += shown + ": " + why + "; ";
    if (shared_) shared_->mark_down(options_.http_urls[fe_index]);
    ++fe_tried;
    size_t next = (fe_index + 1) % n_fe;
    for (size_t i = 0; shared_ && i + 1 < n_fe; ++i) {  // prefer an FE not known to be down
      size_t k = (fe_index + 1 + i) % n_fe;
      if (!shared_->is_down(options_.http_urls[k])) {
        next = k;
        break;
      }
    }
    fe_index = next;
    url = options_.http_urls[fe_index] + req.target;
    if (failovers_) failovers_->fetch_add(1, std::memory_order_relaxed);
    if (log_) log_->log(SR_SINK_LOG_WARN, "FE %s unreachable or failing (%s), trying %s", redact(shown).c_str(),
                        redact(why).c_str(), redact(options_.http_urls[fe_index]).c_str());
    return true;
  };

  for (int hop = 0;;) {
    CURL* c = handle->easy;
    Transfer t;
    t.req = &req;
    t.cancelled = cancelled_;
    errbuf[0] = '\0';
    if (relative && hop == 0 && req.expect_continue) {
      t.answer_deadline_set = true;
      t.answer_deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    }

    HeaderList headers;
    for (const auto& [k, v] : req.headers) headers.add(k + ": " + v);
    if (req.authenticate && credentials_) {
      SecretString line(16 + authorization.str().size());  // no unwiped temporary copy
      line.str().append("Authorization: ").append(authorization.str());
      headers.add(line.str());
    }
    // An explicit empty Expect stops curl from adding one on its own.
    headers.add(req.expect_continue ? "Expect: 100-continue" : "Expect:");
    const bool has_body = req.method == "PUT" || req.method == "POST";
    if (has_body && req.stream) headers.add("Transfer-Encoding: chunked");

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    if (shared_ && shared_->curl_share()) curl_easy_setopt(c, CURLOPT_SHARE, shared_->curl_share());
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // 307 is handled below
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)options_.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    // Dead peers on idle connections (e.g. while the BE publishes) are found by TCP keepalive.
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, 10L);
    if (req.detect_stall) {
      curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, kStallSeconds);
    }
    curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, kExpectContinueTimeoutMs);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.tls_verify ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.tls_verify ? 2L : 0L);
    if (!options_.tls_ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.tls_ca_file.c_str());
    if (!options_.tls_cert_file.empty()) {
      // Mutual TLS: presented to every FE and BE that asks.
      curl_easy_setopt(c, CURLOPT_SSLCERT, options_.tls_cert_file.c_str());
      curl_easy_setopt(c, CURLOPT_SSLKEY, options_.tls_key_file.c_str());
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    if (has_body) {
      curl_off_t size = req.stream ? -1 : (curl_off_t)req.body.size();
      curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(c, CURLOPT_READDATA, &t);
      curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt(c, CURLOPT_SEEKDATA, &t);
      if (req.method == "PUT") {
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, size);
      } else {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, size);
      }
    } else {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

    auto start = Clock::now();
    CURLcode rc = curl_easy_perform(c);
    long ms = (long)std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    curl_off_t uploaded = 0;
    curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    if (uploaded > 0 || t.body_read) body_consumed = true;
    std::string shown_url = strip_userinfo(url);

    if (t.answer_timed_out && rc == CURLE_ABORTED_BY_CALLBACK && !(cancelled_ && cancelled_->load())) {
      // The FE took the connection and the headers but never answered: a hung FE.
      rc = CURLE_OPERATION_TIMEDOUT;
      std::snprintf(errbuf, sizeof errbuf, "no answer to the request headers within %lld ms "
                    "(request_timeout_ms)", (long long)options_.request_timeout_ms);
    }
    if (t.body_cancelled || rc == CURLE_ABORTED_BY_CALLBACK ||
        (cancelled_ && cancelled_->load())) {
      release(std::move(handle));
      return fail(Status::Error(SR_SINK_E_CANCELLED, req.method + " " + shown_url + ": cancelled"),
                  false);
    }
    if (rc != CURLE_OK) {
      long request_size = 0;
      curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &request_size);
      std::string what = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      bool not_sent = is_connect_failure(rc) ||
                      (rc == CURLE_OPERATION_TIMEDOUT && request_size == 0 && uploaded == 0);
      if (log_ && log_->enabled(SR_SINK_LOG_DEBUG)) {
        log_->log(SR_SINK_LOG_DEBUG, "HTTP %s %s failed after %ld ms: %s", req.method.c_str(),
                  shown_url.c_str(), ms, redact(what).c_str());
      }
      // Failover: nothing was sent to this FE, or it timed out on the first hop (an FE never acts
      // on a load's body, and what it does itself is idempotent by label).
      if ((not_sent || rc == CURLE_OPERATION_TIMEDOUT) && next_fe(hop, shown_url, what)) continue;
      release(std::move(handle));
      int32_t code = rc == CURLE_OPERATION_TIMEDOUT ? SR_SINK_E_TIMEOUT : SR_SINK_E_NETWORK;
      std::string msg = req.method + " " + shown_url + ": " + what;
      if (!connect_errors.empty()) msg = "no FE reachable: " + connect_errors + msg;
      if ((hop > 0 || !relative) && is_connect_failure(rc)) {
        // A BE named by StarRocks (307 Location, ErrorURL) that this host cannot reach.
        msg += "; the BE address " + host_port(shown_url) + " comes from StarRocks (" +
               (hop > 0 ? "the FE's redirect" : "the load's ErrorURL") +
               "); if it is an address only the cluster can reach (Kubernetes service name, "
               "Docker, NAT), map it with the option be_address_map";
      }
      return fail(Status::Error(code, redact(msg), SR_SINK_ERROR_F_RETRYABLE), !not_sent);
    }

    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (log_ && log_->enabled(SR_SINK_LOG_DEBUG)) {
      log_->log(SR_SINK_LOG_DEBUG, "HTTP %s %s -> %ld (%ld ms)", req.method.c_str(),
                redact(shown_url).c_str(), status, ms);
    }
    if (relative && hop == 0 && status != 307 && status != 308 &&
        fe_should_fail_over(status, t.response) &&
        next_fe(hop, shown_url, "HTTP " + std::to_string(status) + " " + redact(t.response.substr(0, 200)))) {
      continue;
    }
    if (relative && hop == 0) {
      preferred_fe_.store(fe_index);
      if (shared_) shared_->mark_up(options_.http_urls[fe_index]);
    }

    if (status == 307 || status == 308) {
      char* location = nullptr;
      curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
      std::string next = location ? location : "";
      if (next.empty()) {
        release(std::move(handle));
        return fail(Status::Error(SR_SINK_E_NETWORK, req.method + " " + shown_url +
                                                         ": " + std::to_string(status) +
                                                         " without a Location",
                                  SR_SINK_ERROR_F_RETRYABLE).with_http_status((int)status),
                    false);
      }
      if (++hop > kMaxRedirects) {
        release(std::move(handle));
        return fail(Status::Error(SR_SINK_E_NETWORK,
                                  req.method + " " + req.target + ": more than " +
                                      std::to_string(kMaxRedirects) + " redirects (last to " +
                                      redact(strip_userinfo(next)) + ")",
                                  SR_SINK_ERROR_F_RETRYABLE).with_http_status((int)status),
                    false);
      }
      if (url.rfind("https://", 0) == 0 && next.rfind("https://", 0) != 0) {
        release(std::move(handle));
        return fail(Status::Error(SR_SINK_E_NETWORK, "refusing redirect from " + shown_url +
                                                         " to " + redact(strip_userinfo(next)) +
                                                         ": https to http downgrade"),
                    false);
      }
      if (req.stream && body_consumed && !req.stream->rewind()) {
        release(std::move(handle));
        return fail(Status::Error(SR_SINK_E_INTERNAL, "cannot replay the body of " + req.target +
                                                          " for a redirect"),
                    false);
      }
      url = map_be_address(next, options_.be_address_map);
      if (url != next && log_ && log_->enabled(SR_SINK_LOG_DEBUG)) {
        log_->log(SR_SINK_LOG_DEBUG, "redirect to %s mapped to %s (be_address_map)",
                  redact(strip_userinfo(next)).c_str(), redact(strip_userinfo(url)).c_str());
      }
      continue;
    }

    if (status == 401 && req.authenticate && credentials_ && !auth_retried) {
      // The secret may have rotated: ask once more, telling the host the last one was refused.
      auth_retried = true;
      authorization.wipe();
      Status st = credentials_->authorization(table_, true, &authorization);
      if (!st.ok()) {
        release(std::move(handle));
        return fail(st.with_http_status(401), false);
      }
      if (req.stream && body_consumed && !req.stream->rewind()) {
        release(std::move(handle));
        return fail(Status::Error(SR_SINK_E_INTERNAL, "cannot replay the body of " + req.target +
                                                          " after 401"),
                    false);
      }
      if (log_) log_->log(SR_SINK_LOG_WARN, "%s answered 401 for %s; retrying with fresh credentials",
                          redact(shown_url).c_str(), table_.c_str());
      continue;
    }
    if (status == 401 && req.authenticate) {
      release(std::move(handle));
      std::string body = redact(t.response.substr(0, 300));
      return fail(Status::Error(SR_SINK_E_AUTH, "StarRocks refused the credentials for " + table_ +
                                                    " (HTTP 401 from " + shown_url + "): " + body)
                      .with_http_status(401),
                  false);
    }

    result.response.status = (int)status;
    result.response.body = std::move(t.response);
    result.response.url = shown_url;
    result.response.redirects = hop;
    release(std::move(handle));
    return result;
  }
}

}  // namespace srs
