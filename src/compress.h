// Load body compression (option `compression`, StarRocks >= 3.2.7 JSON payload compression,
// spec §3.5): streaming compressors over liblz4 (frame format), libzstd and zlib (gzip wrapper),
// and CompressingBody, which wraps a load request's BodySource so the HTTP client sends one
// compressed frame per request.
//
// Determinism: for the same input pieces, parameters and library build a compressor produces the
// same bytes, so a rewound CompressingBody resends exactly what it sent before (curl's own rewind,
// the same-label retry of on_watermark, 307 hops).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mode_driver.h"
#include "options.h"
#include "status.h"

namespace srs {

// The `compression` header value StarRocks expects ("lz4_frame", "zstd", "gzip"); "" for kNone.
const char* compression_name(Compression c);

class Compressor {
 public:
  virtual ~Compressor() = default;
  // Starts a new frame, dropping any state of the previous one; appends the frame header (if
  // the format has one) to *out.
  virtual Status begin(std::string* out) = 0;
  // Compresses `in` and flushes, appending to *out: every byte given so far can be decoded
  // from the output (so the wire keeps moving at the pace of the input).
  virtual Status update(std::string_view in, std::string* out) = 0;
  // Ends the frame (trailer, checksum), appending to *out.
  virtual Status finish(std::string* out) = 0;
};

// `level` is the validated option compression_level (options.cpp). kNone → INTERNAL error.
Result<std::unique_ptr<Compressor>> make_compressor(Compression c, int level);

// What a sink keeps between loads: the compressor and the buffers of CompressingBody, allocated
// once (about kStagingBytes + the compressed bound of it + the compressor's own state).
struct BodyCompression {
  std::unique_ptr<Compressor> compressor;
  std::string staging;  // uncompressed input of one update()
  std::string out;      // compressed bytes not yet handed out
};

// A BodySource that reads `inner` and hands out one compressed frame of it. rows() and bytes()
// are the inner (uncompressed) body's; wire_bytes() counts what was handed out since the last
// rewind. Not thread-safe (one HTTP request reads it).
class CompressingBody final : public BodySource {
 public:
  // Input is pulled from `inner` in pieces of at most this size (one pipeline chunk).
  static constexpr size_t kStagingBytes = size_t{1} << 20;

  // `state.compressor` must be set; `state` must outlive this body and serve one body at a time.
  CompressingBody(BodySource& inner, BodyCompression& state);
  size_t read(char* dst, size_t cap, bool* cancelled) override;
  bool rewind() override;
  bool replayable() const override { return inner_.replayable(); }
  uint64_t rows() const override { return inner_.rows(); }
  uint64_t bytes() const override { return inner_.bytes(); }

  uint64_t wire_bytes() const { return wire_bytes_; }
  // The compressor's error, if one ended the body (read() then reported *cancelled so the
  // request fails instead of sending a truncated frame).
  const Status& error() const { return error_; }

 private:
  BodySource& inner_;
  Compressor& compressor_;
  std::string& staging_;
  std::string& out_;  // handed out up to out_pos_
  size_t out_pos_ = 0;
  bool started_ = false, finished_ = false;
  uint64_t wire_bytes_ = 0;
  Status error_;
};

}  // namespace srs
