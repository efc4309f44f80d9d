#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace sremu {
namespace {

// Per-request state kept in MHD's con_cls.
struct RequestCtx {
  Request req;
  std::unique_ptr<Handler> handler;
  bool responded = false;   // a response was queued (or the handler finished its job)
  bool completed = false;   // on_complete ran (the handler's outcome is final)
  bool aborted_notified = false;
};

MHD_Result collect_header(void* cls, enum MHD_ValueKind, const char* key, const char* value) {
  auto* headers = static_cast<Headers*>(cls);
  std::string k(key ? key : "");
  for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  (*headers)[k] = value ? value : "";
  return MHD_YES;
}

MHD_Result collect_arg(void* cls, enum MHD_ValueKind, const char* key, const char* value) {
  auto* args = static_cast<std::map<std::string, std::string>*>(cls);
  (*args)[key ? key : ""] = value ? value : "";
  return MHD_YES;
}

MHD_Result queue(MHD_Connection* c, RequestCtx* ctx, Response r) {
  ctx->responded = true;
  if (r.kind == Response::Kind::kDrop) return MHD_NO;
  if (r.kind == Response::Kind::kHang) {
    hang_until_peer_gone(ctx->req.fd);
    return MHD_NO;
  }
  MHD_Response* resp =
      MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (resp == nullptr) return MHD_NO;
  for (auto& h : r.headers) MHD_add_response_header(resp, h.first.c_str(), h.second.c_str());
  if (r.close) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  MHD_Result ok = MHD_queue_response(c, static_cast<unsigned int>(r.status), resp);
  MHD_destroy_response(resp);
  return ok;
}

// MHD_OPTION_URI_LOG_CALLBACK sees the undecoded request URI first: keep its query string so
// redirects can copy it verbatim (spec §2.2).
void* uri_logger(void*, const char* uri, MHD_Connection*) {
  auto* ctx = new RequestCtx();
  if (uri != nullptr) {
    const char* q = std::strchr(uri, '?');
    if (q != nullptr) ctx->req.raw_query = q + 1;
  }
  return ctx;
}

MHD_Result on_access(void* cls, MHD_Connection* c, const char* url, const char* method, const char* version,
                     const char* upload_data, size_t* upload_data_size, void** con_cls) {
  auto* server = static_cast<HttpServer*>(cls);
  auto* ctx = static_cast<RequestCtx*>(*con_cls);
  if (ctx == nullptr) {  // no URI log callback ran (should not happen); be defensive
    ctx = new RequestCtx();
    *con_cls = ctx;
  }
  try {
    if (ctx->handler == nullptr && !ctx->responded) {
      Request& req = ctx->req;
      req.role = server->role();
      req.be_index = server->be_index();
      req.local_port = server->port();
      req.method = method ? method : "";
      req.path = url ? url : "";
      req.version = version ? version : "";
      // The emulator's own admin API (/_emulator/, not StarRocks) stays open to test fixtures.
      if (server->requires_client_certificate() && std::strncmp(req.path.c_str(), "/_emulator/", 11) != 0) {
        // libmicrohttpd asks for a client certificate but leaves verifying it to us; refused
        // before any handler runs.
        std::string why;
        if (!client_certificate_ok(c, &why)) {
          Response r = Response::text(403, "mutual TLS: " + why);
          r.close = true;
          return queue(c, ctx, std::move(r));
        }
      }
      MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &req.headers);
      MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &req.query);
      const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
      if (info != nullptr) req.fd = info->connect_fd;
      ctx->handler = server->router()(req);
      if (ctx->handler == nullptr) {
        return queue(c, ctx, Response::text(404, "Not Found"));
      }
      std::optional<Response> early = ctx->handler->on_headers(req);
      if (early) {
        ctx->completed = true;  // header-phase answers are final; nothing to undo
        return queue(c, ctx, std::move(*early));
      }
      return MHD_YES;  // MHD now sends `100 Continue` if the client asked for it
    }
    if (ctx->responded) {
      *upload_data_size = 0;  // discard anything after an early answer
      return MHD_YES;
    }
    if (*upload_data_size != 0) {
      size_t n = *upload_data_size;
      *upload_data_size = 0;
      ctx->req.body_bytes += n;
      if (!ctx->handler->on_data(ctx->req, upload_data, n)) {
        ctx->responded = true;
        return MHD_NO;  // drop the connection; notify_completed undoes the load
      }
      return MHD_YES;
    }
    Response r = ctx->handler->on_complete(ctx->req);
    // A reply the client may never read (drop/hang) leaves the outcome to the handler: it already
    // applied or refused the operation, so on_aborted must not undo a completed operation.
    ctx->completed = (r.kind == Response::Kind::kReply) || r.kind == Response::Kind::kDrop;
    if (r.kind == Response::Kind::kHang) ctx->completed = false;
    return queue(c, ctx, std::move(r));
  } catch (const std::exception&) {
    ctx->responded = true;
    return queue(c, ctx, Response::json(500, std::string("{\"status\":\"FAILED\",\"msg\":\"internal error\"}")));
  }
}

void on_completed(void*, MHD_Connection*, void** con_cls, enum MHD_RequestTerminationCode toe) {
  auto* ctx = static_cast<RequestCtx*>(*con_cls);
  if (ctx == nullptr) return;
  *con_cls = nullptr;
  if (ctx->handler != nullptr && !ctx->completed) {
    try {
      ctx->handler->on_aborted(ctx->req);
    } catch (...) {
    }
  }
  (void)toe;
  delete ctx;
}

void log_mhd(void*, const char* fmt, va_list ap) {
  // MHD's own diagnostics (malformed requests etc.) go to stderr; stdout carries only the ready line.
  vfprintf(stderr, fmt, ap);
}

}  // namespace

std::atomic<bool>& HttpServer::shutting_down() {
  static std::atomic<bool> flag{false};
  return flag;
}

HttpServer::HttpServer(Role role, int be_index, Router router)
    : role_(role), be_index_(be_index), router_(std::move(router)) {}

HttpServer::~HttpServer() { stop(); }

// Binds and listens on addr:port ourselves so a busy port is an error that names the port: MHD's
// own bind with MHD_OPTION_LISTENING_ADDRESS_REUSE set SO_REUSEPORT, which let a second emulator
// share a port with a stale one (requests then reached whichever process the kernel picked).
// SO_REUSEADDR only allows rebinding over TIME_WAIT connections, never over a live listener.
static int listen_socket(const sockaddr_in& addr, std::string* error) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket() failed: ") + std::strerror(errno);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 128) != 0) {
    int e = errno;
    ::close(fd);
    *error = std::strerror(e);
    if (e == EADDRINUSE) *error += " (another process, perhaps an earlier sr-emulator, listens on it)";
    return -1;
  }
  return fd;
}

std::string HttpServer::start(const std::string& bind_addr, int port, const TlsConfig& tls) {
  tls_ = tls;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, bind_addr.c_str(), &addr.sin_addr) != 1) {
    return "--bind " + bind_addr + " is not an IPv4 address";
  }
  std::string error;
  int fd = listen_socket(addr, &error);
  if (fd < 0) return "cannot listen on port " + std::to_string(port) + " of " + bind_addr + ": " + error;
  unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                       MHD_USE_ERROR_LOG;
  // HTTPS options go first; without TLS the list starts at the common options.
  MHD_OptionItem tls_options[4];
  size_t n_tls = 0;
  if (tls_.enabled()) {
    flags |= MHD_USE_TLS;
    tls_options[n_tls++] = {MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(tls_.key_pem.c_str())};
    tls_options[n_tls++] = {MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(tls_.cert_pem.c_str())};
    if (!tls_.client_ca_pem.empty()) {
      tls_options[n_tls++] = {MHD_OPTION_HTTPS_MEM_TRUST, 0, const_cast<char*>(tls_.client_ca_pem.c_str())};
    }
  }
  tls_options[n_tls] = {MHD_OPTION_END, 0, nullptr};
  daemon_ = MHD_start_daemon(
      flags, static_cast<uint16_t>(port), nullptr, nullptr, &on_access, this,
      MHD_OPTION_ARRAY, tls_options,
      MHD_OPTION_EXTERNAL_LOGGER, &log_mhd, nullptr,
      MHD_OPTION_LISTEN_SOCKET, fd,  // MHD closes it at MHD_stop_daemon
      MHD_OPTION_URI_LOG_CALLBACK, &uri_logger, nullptr,
      MHD_OPTION_NOTIFY_COMPLETED, &on_completed, nullptr,
      // Large per-connection buffers: uploads arrive in big chunks (the --discard throughput goal).
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(4 * 1024 * 1024),
      MHD_OPTION_CONNECTION_MEMORY_INCREMENT, static_cast<size_t>(1024 * 1024),
      MHD_OPTION_CONNECTION_TIMEOUT, 0u,
      MHD_OPTION_END);
  if (daemon_ == nullptr) {
    ::close(fd);
    return "cannot serve on port " + std::to_string(port) + " of " + bind_addr + " (libmicrohttpd failed to start)";
  }
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  port_ = ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len) == 0 ? ntohs(bound.sin_port) : port;
  return {};
}

void HttpServer::stop() {
  if (daemon_ != nullptr) {
    MHD_stop_daemon(daemon_);
    daemon_ = nullptr;
  }
}

void hang_until_peer_gone(int fd) {
  while (!HttpServer::shutting_down().load()) {
    if (fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    pollfd p{fd, static_cast<short>(POLLRDHUP), 0};
    int rc = ::poll(&p, 1, 100);
    if (rc > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0) return;
  }
}

void interruptible_sleep_ms(int64_t ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!HttpServer::shutting_down().load() && std::chrono::steady_clock::now() < deadline) {
    auto left = deadline - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
  }
}

}  // namespace sremu
