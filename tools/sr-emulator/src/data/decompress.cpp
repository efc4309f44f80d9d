// Whole-body decompression for compressed CSV formats and JSON `compression` (spec §3.5).
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <memory>

#include "data/internal.h"

namespace sremu {
namespace {

// Refuse to inflate beyond this (a decompression bomb would otherwise take the emulator down).
constexpr size_t kMaxOutput = size_t{4} << 30;
constexpr size_t kChunk = 256 * 1024;

std::optional<std::string> inflate_body(std::string_view in, int window_bits, const char* name, std::string* out) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return std::string("sr-emulator: zlib init failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());  // bodies above 4 GB are rejected earlier by size checks
  out->clear();
  for (;;) {
    size_t old = out->size();
    if (old > kMaxOutput) return std::string("Failed to decompress ") + name + " body: output too large";
    out->resize(old + kChunk);
    zs.next_out = reinterpret_cast<Bytef*>(&(*out)[old]);
    zs.avail_out = static_cast<uInt>(kChunk);
    int rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(old + kChunk - zs.avail_out);
    if (rc == Z_STREAM_END) {
      // gzip allows several members back to back (what `cat a.gz b.gz` produces).
      if (zs.avail_in > 0 && (window_bits & 16)) {
        if (inflateReset(&zs) != Z_OK) return std::string("Failed to decompress ") + name + " body";
        continue;
      }
      if (zs.avail_in > 0) return std::string("Failed to decompress ") + name + " body: trailing data";
      return std::nullopt;
    }
    if (rc != Z_OK) {
      std::string msg = zs.msg ? zs.msg : "corrupt data";
      return std::string("Failed to decompress ") + name + " body: " + msg;
    }
    if (zs.avail_in == 0 && zs.avail_out != 0) return std::string("Failed to decompress ") + name + " body: truncated";
  }
}

std::optional<std::string> lz4_frame(std::string_view in, std::string* out) {
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
    return std::string("sr-emulator: lz4 init failed");
  std::unique_ptr<LZ4F_dctx, LZ4F_errorCode_t (*)(LZ4F_dctx*)> guard(dctx, LZ4F_freeDecompressionContext);
  out->clear();
  const char* src = in.data();
  size_t left = in.size();
  size_t hint = 1;
  while (left > 0) {
    size_t old = out->size();
    if (old > kMaxOutput) return std::string("Failed to decompress lz4 body: output too large");
    out->resize(old + kChunk);
    size_t dst_size = kChunk, src_size = left;
    hint = LZ4F_decompress(dctx, &(*out)[old], &dst_size, src, &src_size, nullptr);
    out->resize(old + dst_size);
    if (LZ4F_isError(hint)) return std::string("Failed to decompress lz4 body: ") + LZ4F_getErrorName(hint);
    src += src_size;
    left -= src_size;
    if (src_size == 0 && dst_size == 0) break;
  }
  // Drain any output still buffered in the context.
  while (hint != 0) {
    size_t old = out->size();
    if (old > kMaxOutput) return std::string("Failed to decompress lz4 body: output too large");
    out->resize(old + kChunk);
    size_t dst_size = kChunk, src_size = 0;
    hint = LZ4F_decompress(dctx, &(*out)[old], &dst_size, src, &src_size, nullptr);
    out->resize(old + dst_size);
    if (LZ4F_isError(hint)) return std::string("Failed to decompress lz4 body: ") + LZ4F_getErrorName(hint);
    if (dst_size == 0) break;
  }
  if (hint != 0) return std::string("Failed to decompress lz4 body: truncated frame");
  return std::nullopt;
}

std::optional<std::string> zstd_body(std::string_view in, std::string* out) {
  ZSTD_DStream* ds = ZSTD_createDStream();
  if (!ds) return std::string("sr-emulator: zstd init failed");
  std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> guard(ds, ZSTD_freeDStream);
  ZSTD_initDStream(ds);
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  out->clear();
  size_t rc = 1;
  for (;;) {
    size_t old = out->size();
    if (old > kMaxOutput) return std::string("Failed to decompress zstd body: output too large");
    out->resize(old + kChunk);
    ZSTD_outBuffer ob{&(*out)[old], kChunk, 0};
    rc = ZSTD_decompressStream(ds, &ob, &ib);
    out->resize(old + ob.pos);
    if (ZSTD_isError(rc)) return std::string("Failed to decompress zstd body: ") + ZSTD_getErrorName(rc);
    if (ib.pos == ib.size && ob.pos < kChunk) break;  // input consumed and output drained
  }
  if (rc != 0) return std::string("Failed to decompress zstd body: truncated frame");
  return std::nullopt;
}

}  // namespace

std::optional<std::string> decompress(std::string_view algo, std::string_view in, std::string* out) {
  std::string a = dl::to_lower(algo);
  if (a.empty() || a == "no_compression") {
    out->assign(in);
    return std::nullopt;
  }
  if (a == "gzip") return inflate_body(in, 15 + 16, "gzip", out);
  if (a == "deflate" || a == "zlib") {
    // zlib-wrapped first (what "deflate" means in HTTP), then raw deflate.
    if (!inflate_body(in, 15, a.c_str(), out)) return std::nullopt;
    return inflate_body(in, -15, a.c_str(), out);
  }
  if (a == "lz4" || a == "lz4_frame") return lz4_frame(in, out);
  if (a == "zstd") return zstd_body(in, out);
  return "sr-emulator: unsupported compression type: " + std::string(algo);
}

}  // namespace sremu
