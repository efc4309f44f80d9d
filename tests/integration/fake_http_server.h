// A tiny scripted HTTP/1.1 server on 127.0.0.1 for testing HttpClient behaviours the emulator
// cannot produce (redirect loops, a server that reads the body before redirecting, lost replies).
// One connection at a time; every response closes the connection.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace srtest {

struct FakeRequest {
  std::string method, target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool body_read = false;
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool drop = false;  // close without answering
};

class FakeHttpServer {
 public:
  // `early` sees the request after its headers; returning true sends `*out` without reading the
  // body (what the FE does for a 307). Otherwise the body is read (after 100 Continue when asked
  // for) and `full` answers.
  using Early = std::function<bool(const FakeRequest&, FakeResponse* out)>;
  using Full = std::function<FakeResponse(const FakeRequest&)>;

  FakeHttpServer(Early early, Full full) : early_(std::move(early)), full_(std::move(full)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    listen(fd_, 16);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeHttpServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<FakeRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  static bool read_more(int fd, std::string* buf) {
    char tmp[4096];
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return false;
    ssize_t n = recv(fd, tmp, sizeof(tmp), 0);
    if (n <= 0) return false;
    buf->append(tmp, (size_t)n);
    return true;
  }
  static void send_all(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += (size_t)n;
    }
  }
  static void respond(int fd, const FakeResponse& r) {
    if (r.drop) return;
    std::string s = "HTTP/1.1 " + std::to_string(r.status) + " X\r\n";
    for (const auto& [k, v] : r.headers) s += k + ": " + v + "\r\n";
    s += "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n\r\n" + r.body;
    send_all(fd, s);
  }
  // Reads a chunked or Content-Length body from `buf` (+ socket).
  static bool read_body(int fd, std::string* buf, FakeRequest* req) {
    auto te = req->headers.find("transfer-encoding");
    if (te != req->headers.end() && te->second.find("chunked") != std::string::npos) {
      for (;;) {
        size_t eol;
        while ((eol = buf->find("\r\n")) == std::string::npos) {
          if (!read_more(fd, buf)) return false;
        }
        size_t n = std::stoul(buf->substr(0, eol), nullptr, 16);
        while (buf->size() < eol + 2 + n + 2) {
          if (!read_more(fd, buf)) return false;
        }
        req->body += buf->substr(eol + 2, n);
        buf->erase(0, eol + 2 + n + 2);
        if (n == 0) return true;
      }
    }
    auto cl = req->headers.find("content-length");
    size_t n = cl == req->headers.end() ? 0 : std::stoul(cl->second);
    while (buf->size() < n) {
      if (!read_more(fd, buf)) return false;
    }
    req->body = buf->substr(0, n);
    return true;
  }

  void serve() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      handle(c);
      close(c);
    }
  }
  void handle(int c) {
    std::string buf;
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more(c, &buf)) return;
    }
    FakeRequest req;
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    std::string first = head.substr(0, line_end);
    size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
    req.method = first.substr(0, sp1);
    req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string h = head.substr(pos, e - pos);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string k = h.substr(0, colon);
        for (char& ch : k) ch = (char)std::tolower((unsigned char)ch);
        size_t v = h.find_first_not_of(' ', colon + 1);
        req.headers[k] = v == std::string::npos ? "" : h.substr(v);
      }
      pos = e + 2;
    }
    FakeResponse resp;
    if (early_ && early_(req, &resp)) {
      record(req);
      respond(c, resp);
      return;
    }
    auto ex = req.headers.find("expect");
    if (ex != req.headers.end() && ex->second == "100-continue") send_all(c, "HTTP/1.1 100 Continue\r\n\r\n");
    req.body_read = read_body(c, &buf, &req);
    record(req);
    respond(c, full_(req));
  }
  void record(const FakeRequest& r) {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(r);
  }

  Early early_;
  Full full_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<FakeRequest> requests_;
};

}  // namespace srtest
