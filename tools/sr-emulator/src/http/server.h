// libmicrohttpd glue: one daemon per emulated node (FE, leader FE, each BE), thread per
// connection, request phases mapped onto Handler (see http.h).
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "http/http.h"
#include "http/tls.h"

struct MHD_Daemon;

namespace sremu {

using Router = std::function<std::unique_ptr<Handler>(Request&)>;

class HttpServer {
 public:
  HttpServer(Role role, int be_index, Router router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds bind_addr:port (0 = any free port) and starts serving. Returns an error text on failure.
  // With `tls`, serves HTTPS only (and with tls.client_ca_pem asks for a client certificate).
  std::string start(const std::string& bind_addr, int port, const TlsConfig& tls = {});
  void stop();
  int port() const { return port_.load(); }
  Role role() const { return role_; }
  int be_index() const { return be_index_; }
  const Router& router() const { return router_; }
  bool requires_client_certificate() const { return !tls_.client_ca_pem.empty(); }

  // Set once at shutdown: hanging handlers and delays return.
  static std::atomic<bool>& shutting_down();

 private:
  Role role_;
  int be_index_;
  Router router_;
  MHD_Daemon* daemon_ = nullptr;
  TlsConfig tls_;  // MHD reads the PEM memory while it runs
  std::atomic<int> port_{0};  // read by connection threads (TSan cannot see the socket ordering)
};

// Blocks the calling (connection) thread until the peer closes the socket or shutdown begins.
void hang_until_peer_gone(int fd);
// Sleeps `ms` unless shutdown begins first.
void interruptible_sleep_ms(int64_t ms);

}  // namespace sremu
