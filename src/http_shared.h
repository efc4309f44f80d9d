// What the HTTP clients of one connector share: one libcurl connection cache (a share handle, so
// the sinks of a connector reuse each other's keep-alive connections to the FEs and BEs, plus
// DNS and TLS session caches), and the FEs' health (an FE that failed is skipped for a while by
// every sink of the connector, not rediscovered by each).
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace srs {

class HttpShared {
 public:
  // How long an FE that failed is skipped while another FE of http_url is not known to be down.
  static constexpr std::chrono::seconds kFeQuarantine{30};

  HttpShared();
  ~HttpShared();
  HttpShared(const HttpShared&) = delete;
  HttpShared& operator=(const HttpShared&) = delete;

  // The CURLSH* to set as CURLOPT_SHARE (null if libcurl could not create one).
  void* curl_share() const { return share_; }

  // FE health by base URL ("http://fe1:8030").
  void mark_down(const std::string& fe);
  void mark_up(const std::string& fe);
  bool is_down(const std::string& fe) const;

 private:
  struct Locks;
  void* share_ = nullptr;
  std::unique_ptr<Locks> locks_;
  mutable std::mutex health_mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> down_until_;
};

}  // namespace srs
