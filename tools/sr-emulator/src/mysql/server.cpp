#include "mysql/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "mysql/packet.h"

namespace sremu {
namespace {

constexpr size_t kMaxConnections = 1024;  // StarRocks' qe_max_connection default is 4096 per FE

}  // namespace

std::string QueryServer::start(const std::string& bind, int port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return std::string("socket: ") + std::strerror(errno);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, bind.c_str(), &addr.sin_addr) != 1) return "not an IPv4 address: " + bind;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 128) != 0) {
    std::string err = "port " + std::to_string(port) + ": " + std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    return err;
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
  return {};
}

void QueryServer::accept_loop() {
  while (!stopping_.load()) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    int r = ::poll(&pfd, 1, 200);
    if (r <= 0) continue;
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval send_timeout{30, 0};  // a client that stops reading a result never pins the thread
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    char ip[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    std::unique_lock<std::mutex> lock(mu_);
    if (conns_.size() >= kMaxConnections) {
      lock.unlock();
      PacketConn c(fd);
      c.err(1040, "08004", "Too many connections");
      ::close(fd);
      continue;
    }
    uint32_t id = next_id_++;
    conns_[id] = fd;
    lock.unlock();
    std::thread([this, fd, id, p = std::string(ip)] { run_connection(fd, id, p); }).detach();
  }
}

void QueryServer::run_connection(int fd, uint32_t id, std::string peer) {
  serve_mysql_connection(emu_, fd, id, peer, stopping_);
  std::lock_guard<std::mutex> lock(mu_);
  conns_.erase(id);
  ::close(fd);
  idle_.notify_all();
}

void QueryServer::stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
  std::unique_lock<std::mutex> lock(mu_);
  for (auto& kv : conns_) ::shutdown(kv.second, SHUT_RDWR);  // wakes blocked reads and writes
  idle_.wait_for(lock, std::chrono::seconds(10), [this] { return conns_.empty(); });
}

}  // namespace sremu
