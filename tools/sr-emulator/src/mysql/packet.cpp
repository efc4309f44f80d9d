#include "mysql/packet.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace sremu {

void put_int(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_lenenc_int(std::string* out, uint64_t v) {
  if (v < 251) {
    out->push_back(static_cast<char>(v));
  } else if (v < (1u << 16)) {
    out->push_back(static_cast<char>(0xfc));
    put_int(out, v, 2);
  } else if (v < (1u << 24)) {
    out->push_back(static_cast<char>(0xfd));
    put_int(out, v, 3);
  } else {
    out->push_back(static_cast<char>(0xfe));
    put_int(out, v, 8);
  }
}

void put_lenenc_str(std::string* out, std::string_view s) {
  put_lenenc_int(out, s.size());
  out->append(s.data(), s.size());
}

bool PayloadReader::int_n(int bytes, uint64_t* v) {
  if (pos + static_cast<size_t>(bytes) > p.size()) return false;
  *v = 0;
  for (int i = 0; i < bytes; ++i) *v |= static_cast<uint64_t>(static_cast<unsigned char>(p[pos + i])) << (8 * i);
  pos += bytes;
  return true;
}

bool PayloadReader::lenenc_int(uint64_t* v) {
  if (pos >= p.size()) return false;
  unsigned char first = static_cast<unsigned char>(p[pos++]);
  if (first < 251) {
    *v = first;
    return true;
  }
  if (first == 0xfc) return int_n(2, v);
  if (first == 0xfd) return int_n(3, v);
  if (first == 0xfe) return int_n(8, v);
  return false;
}

bool PayloadReader::nul_str(std::string* s) {
  if (pos > p.size()) return false;
  size_t end = p.find('\0', pos);
  if (end == std::string_view::npos) end = p.size();
  s->assign(p.substr(pos, end - pos));
  pos = end < p.size() ? end + 1 : end;
  return true;
}

bool PayloadReader::fixed(size_t n, std::string* s) {
  if (pos + n > p.size()) return false;
  s->assign(p.substr(pos, n));
  pos += n;
  return true;
}

bool PayloadReader::lenenc_str(std::string* s) {
  uint64_t n = 0;
  return lenenc_int(&n) && n <= p.size() && fixed(static_cast<size_t>(n), s);
}

bool PacketConn::read_full(char* buf, size_t n, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t got = 0;
  while (got < n) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd pfd{fd_, POLLIN, 0};
    int r = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno != EINTR) return false;
    if (r <= 0) continue;
    ssize_t k = ::recv(fd_, buf + got, n - got, 0);
    if (k == 0) return false;
    if (k < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    got += static_cast<size_t>(k);
  }
  return true;
}

bool PacketConn::write_full(const char* buf, size_t n) {
  size_t sent = 0;
  while (sent < n) {
    ssize_t k = ::send(fd_, buf + sent, n - sent, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {  // the send timeout (SO_SNDTIMEO) elapsed: the client stopped reading
        return false;
      }
      return false;
    }
    sent += static_cast<size_t>(k);
  }
  return true;
}

bool PacketConn::read(std::string* payload, size_t max_bytes, int timeout_ms) {
  payload->clear();
  for (;;) {
    unsigned char h[4];
    if (!read_full(reinterpret_cast<char*>(h), 4, timeout_ms)) return false;
    size_t len = h[0] | (h[1] << 8) | (h[2] << 16);
    seq_ = static_cast<uint8_t>(h[3] + 1);
    if (payload->size() + len > max_bytes) return false;
    size_t old = payload->size();
    payload->resize(old + len);
    if (len > 0 && !read_full(&(*payload)[old], len, timeout_ms)) return false;
    if (len < 0xffffff) return true;
  }
}

bool PacketConn::write(std::string_view payload) {
  size_t off = 0;
  for (;;) {
    size_t len = std::min<size_t>(payload.size() - off, 0xffffff);
    std::string frame;
    frame.reserve(4 + len);
    put_int(&frame, len, 3);
    frame.push_back(static_cast<char>(seq_++));
    frame.append(payload.data() + off, len);
    if (!write_full(frame.data(), frame.size())) return false;
    off += len;
    if (len < 0xffffff) return true;  // a payload of exactly 16 MiB - 1 is followed by an empty one
  }
}

bool PacketConn::ok(uint64_t affected, uint16_t status, std::string_view info) {
  std::string p(1, '\0');
  put_lenenc_int(&p, affected);
  put_lenenc_int(&p, 0);  // last insert id
  put_int(&p, status, 2);
  put_int(&p, 0, 2);      // warnings
  p.append(info.data(), info.size());
  return write(p);
}

bool PacketConn::err(int code, std::string_view sqlstate, std::string_view message) {
  std::string p(1, static_cast<char>(0xff));
  put_int(&p, static_cast<uint64_t>(code), 2);
  p.push_back('#');
  std::string state(sqlstate.substr(0, 5));
  state.resize(5, '0');
  p += state;
  p.append(message.data(), message.size());
  return write(p);
}

bool PacketConn::eof(uint16_t status) {
  std::string p(1, static_cast<char>(0xfe));
  put_int(&p, 0, 2);  // warnings
  put_int(&p, status, 2);
  return write(p);
}

}  // namespace sremu
