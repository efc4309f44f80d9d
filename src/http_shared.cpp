#include "http_shared.h"

#include <curl/curl.h>

namespace srs {

void http_global_init();  // http.h

struct HttpShared::Locks {
  std::mutex mu[CURL_LOCK_DATA_LAST];
};

namespace {

void lock_cb(CURL*, curl_lock_data data, curl_lock_access, void* userp) {
  static_cast<std::mutex*>(userp)[data].lock();
}
void unlock_cb(CURL*, curl_lock_data data, void* userp) {
  static_cast<std::mutex*>(userp)[data].unlock();
}

}  // namespace

HttpShared::HttpShared() : locks_(std::make_unique<Locks>()) {
  http_global_init();
  CURLSH* sh = curl_share_init();
  if (!sh) return;
  curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, lock_cb);
  curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, unlock_cb);
  curl_share_setopt(sh, CURLSHOPT_USERDATA, static_cast<void*>(locks_->mu));
  // A shared connection cache is what makes this a pool (libcurl >= 7.57).
  if (curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK) {
    curl_share_cleanup(sh);
    return;
  }
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  share_ = sh;
}

HttpShared::~HttpShared() {
  // Every easy handle using it is gone (the connector outlives its sinks' clients).
  if (share_) curl_share_cleanup(static_cast<CURLSH*>(share_));
}

void HttpShared::mark_down(const std::string& fe) {
  std::lock_guard<std::mutex> lock(health_mu_);
  down_until_[fe] = std::chrono::steady_clock::now() + kFeQuarantine;
}

void HttpShared::mark_up(const std::string& fe) {
  std::lock_guard<std::mutex> lock(health_mu_);
  down_until_.erase(fe);
}

bool HttpShared::is_down(const std::string& fe) const {
  std::lock_guard<std::mutex> lock(health_mu_);
  auto it = down_until_.find(fe);
  return it != down_until_.end() && std::chrono::steady_clock::now() < it->second;
}

}  // namespace srs
