// Counting rows of a discarded body (--discard): the only per-byte work on the throughput path.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace sremu {

// Number of `delim` bytes ('\n' by default) in [data, data+size). Built with -O3 whatever the
// build type, so the compiler vectorises it: faster than one memchr call per (short) row.
uint64_t count_newlines(const char* data, size_t size, char delim = '\n');

// How a --discard load's rows are counted: the body's compression (JSON: `compression`; CSV: a
// compressed `format` such as lz4 or zstd) and the byte that ends a row.
struct RowCounting {
  std::string algo;
  char delim = '\n';
};
template <typename Params>
RowCounting row_counting(const Params& p) {
  if (p.format == "json") return {p.compression, '\n'};
  return {p.format == "csv" ? std::string() : p.format, p.row_delimiter.empty() ? '\n' : p.row_delimiter[0]};
}

// Counts the rows of a body as it arrives, decompressing it on the fly when the load names a
// `compression` (the JSON payload compression of spec §3.5), so a compressed load reports the
// same rows as the plain one without keeping the body. `algo` is LoadParams::compression:
// "" (none), gzip, lz4_frame/lz4, zstd, deflate/zlib (zlib-wrapped only). Memory: one 256 KiB
// output buffer plus the decoder's state.
class BodyNewlineCounter {
 public:
  // `delim`: the byte that ends a row ('\n' for JSON; a CSV load's row_delimiter, whose first
  // byte is counted when it is longer).
  explicit BodyNewlineCounter(const std::string& algo, char delim = '\n');
  ~BodyNewlineCounter();
  BodyNewlineCounter(const BodyNewlineCounter&) = delete;
  BodyNewlineCounter& operator=(const BodyNewlineCounter&) = delete;

  // Feeds the next body bytes. After a decode error further bytes are ignored.
  void feed(const char* data, size_t size);
  // After the last byte: "" when every frame was complete and valid, else the error message
  // (the load then fails like a non-discarded one would).
  std::string finish();
  uint64_t newlines() const { return newlines_; }

  struct Decoder;  // per algorithm (newline_count.cpp)

 private:
  std::unique_ptr<Decoder> decoder_;  // null: body not compressed
  char delim_ = '\n';
  uint64_t newlines_ = 0;
  std::string error_;
};

}  // namespace sremu
