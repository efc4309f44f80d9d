// MySQL client/server protocol framing: 3-byte length + 1-byte sequence id packets (payloads of
// 16 MiB - 1 continue in the next packet), length-encoded integers and strings, and the OK / ERR /
// EOF packets. Reads have a deadline so a client that stops mid-packet never pins a thread.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace sremu {

// Capability flags the emulator speaks (a subset of StarRocks' MysqlCapability).
constexpr uint32_t kClientLongPassword = 0x1;
constexpr uint32_t kClientLongFlag = 0x4;
constexpr uint32_t kClientConnectWithDb = 0x8;
constexpr uint32_t kClientProtocol41 = 0x200;
constexpr uint32_t kClientSsl = 0x800;
constexpr uint32_t kClientTransactions = 0x2000;
constexpr uint32_t kClientSecureConnection = 0x8000;
constexpr uint32_t kClientPluginAuth = 0x80000;
constexpr uint32_t kClientConnectAttrs = 0x100000;
constexpr uint32_t kClientPluginAuthLenencData = 0x200000;
constexpr uint32_t kClientDeprecateEof = 0x1000000;

constexpr uint16_t kServerStatusAutocommit = 0x0002;

// Appends to a payload.
void put_int(std::string* out, uint64_t v, int bytes);  // little-endian
void put_lenenc_int(std::string* out, uint64_t v);
void put_lenenc_str(std::string* out, std::string_view s);

// Reads from a payload; false when it runs out.
struct PayloadReader {
  std::string_view p;
  size_t pos = 0;
  bool left() const { return pos < p.size(); }
  bool int_n(int bytes, uint64_t* v);
  bool lenenc_int(uint64_t* v);
  bool nul_str(std::string* s);           // NUL-terminated (or to the end)
  bool fixed(size_t n, std::string* s);
  bool lenenc_str(std::string* s);
};

// A connection's socket with the packet sequence.
class PacketConn {
 public:
  explicit PacketConn(int fd) : fd_(fd) {}
  // Reads one logical payload (joins 16 MiB continuations). False: EOF, error, timeout or a
  // payload above `max_bytes`.
  bool read(std::string* payload, size_t max_bytes, int timeout_ms);
  bool write(std::string_view payload);  // one logical payload (split as needed), next sequence id
  void reset_seq() { seq_ = 0; }

  bool ok(uint64_t affected, uint16_t status, std::string_view info = {});
  bool err(int code, std::string_view sqlstate, std::string_view message);
  bool eof(uint16_t status);

 private:
  bool read_full(char* buf, size_t n, int timeout_ms);
  bool write_full(const char* buf, size_t n);
  int fd_;
  uint8_t seq_ = 0;
};

}  // namespace sremu
