#include "http/http.h"

#include <cstdlib>

namespace sremu {

std::optional<uint64_t> Request::content_length() const {
  auto it = headers.find("content-length");
  if (it == headers.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  unsigned long long v = std::strtoull(it->second.c_str(), &end, 10);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<uint64_t>(v);
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
  return r;
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "text/plain; charset=UTF-8");
  return r;
}

bool Handler::on_data(Request& req, const char* data, size_t size) {
  req.body.append(data, size);
  return true;
}

}  // namespace sremu
