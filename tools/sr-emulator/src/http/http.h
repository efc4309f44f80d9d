// Transport-neutral request/response types and the handler interface the MHD glue drives.
// A handler sees a request in three phases, like a StarRocks BE: headers (may answer at once,
// in which case no `100 Continue` is sent and the body is never read), body chunks, completion.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/data.h"

namespace sremu {

enum class Role { kFe, kLeaderFe, kBe };

struct Request {
  Role role = Role::kFe;
  int local_port = 0;        // port the request arrived on
  int be_index = -1;         // which BE (Role::kBe)
  std::string method;        // "PUT", ...
  std::string path;          // URL-decoded path without query
  std::string raw_query;     // "a=b&c=d" as received (for redirects)
  std::string version;       // "HTTP/1.1"
  Headers headers;           // lower-cased names
  std::map<std::string, std::string> query;
  std::string body;          // accumulated unless the handler consumes chunks itself
  uint64_t body_bytes = 0;   // bytes received so far
  int fd = -1;               // client socket (for hang detection)

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has_header(const std::string& lower_name) const { return headers.count(lower_name) != 0; }
  std::string arg(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  std::optional<uint64_t> content_length() const;
};

struct Response {
  enum class Kind { kReply, kDrop, kHang };
  Kind kind = Kind::kReply;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // send `Connection: close` and close after the reply

  static Response json(int status, std::string body);
  static Response text(int status, std::string body);
  static Response drop() { Response r; r.kind = Kind::kDrop; return r; }
  static Response hang() { Response r; r.kind = Kind::kHang; return r; }
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Headers are complete. Return a response to answer now without reading the body.
  virtual std::optional<Response> on_headers(Request& req) = 0;
  // A body chunk. Default: append to req.body. Return false to drop the connection.
  virtual bool on_data(Request& req, const char* data, size_t size);
  // The whole body arrived.
  virtual Response on_complete(Request& req) = 0;
  // The request ended without on_complete's response being delivered as planned
  // (client went away, connection dropped by a fault). Undo whatever the header phase began.
  virtual void on_aborted(Request& req) { (void)req; }
};

// Simple handler whose whole work happens at completion (GET/POST endpoints).
class SimpleHandler : public Handler {
 public:
  std::optional<Response> on_headers(Request&) override { return std::nullopt; }
};

}  // namespace sremu
