#include "be/newline_count.h"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <vector>

namespace sremu {

uint64_t count_newlines(const char* data, size_t size, char delim) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
  uint64_t total = 0;
  // Blocks of 255*16 bytes keep the per-lane byte counters from overflowing once vectorised.
  while (size > 0) {
    size_t block = size < 4080 ? size : 4080;
    unsigned int n = 0;
    for (size_t i = 0; i < block; ++i) n += p[i] == static_cast<unsigned char>(delim);
    total += n;
    p += block;
    size -= block;
  }
  return total;
}

// Decodes into `out_` and counts; the messages match decompress.cpp's whole-body ones.
struct BodyNewlineCounter::Decoder {
  static constexpr size_t kOut = 256 * 1024;
  virtual ~Decoder() = default;
  // Returns "" or an error message.
  virtual std::string feed(const char* data, size_t size, uint64_t* newlines) = 0;
  char delim = '\n';
  virtual std::string finish() = 0;
  std::vector<char> out_ = std::vector<char>(kOut);
  bool any_input_ = false;
};

namespace {

using Decoder = BodyNewlineCounter::Decoder;

class Lz4Decoder final : public Decoder {
 public:
  Lz4Decoder() {
    if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION))) ctx_ = nullptr;
  }
  ~Lz4Decoder() override {
    if (ctx_) LZ4F_freeDecompressionContext(ctx_);
  }
  std::string feed(const char* data, size_t size, uint64_t* newlines) override {
    if (!ctx_) return "sr-emulator: lz4 init failed";
    for (;;) {
      size_t dst = kOut, src = size;
      hint_ = LZ4F_decompress(ctx_, out_.data(), &dst, data, &src, nullptr);
      if (LZ4F_isError(hint_)) return std::string("Failed to decompress lz4 body: ") + LZ4F_getErrorName(hint_);
      *newlines += count_newlines(out_.data(), dst, delim);
      data += src;
      size -= src;
      if (size == 0 && dst < kOut) return "";  // input used up and nothing left buffered
    }
  }
  std::string finish() override {
    // hint_ == 0: the last frame ended exactly at the end of the body.
    if (any_input_ && hint_ != 0) return "Failed to decompress lz4 body: truncated frame";
    return "";
  }

 private:
  LZ4F_dctx* ctx_ = nullptr;
  size_t hint_ = 0;
};

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder() : ds_(ZSTD_createDStream()) {
    if (ds_) ZSTD_initDStream(ds_);
  }
  ~ZstdDecoder() override { ZSTD_freeDStream(ds_); }
  std::string feed(const char* data, size_t size, uint64_t* newlines) override {
    if (!ds_) return "sr-emulator: zstd init failed";
    ZSTD_inBuffer ib{data, size, 0};
    for (;;) {
      ZSTD_outBuffer ob{out_.data(), kOut, 0};
      rc_ = ZSTD_decompressStream(ds_, &ob, &ib);
      if (ZSTD_isError(rc_)) return std::string("Failed to decompress zstd body: ") + ZSTD_getErrorName(rc_);
      *newlines += count_newlines(out_.data(), ob.pos, delim);
      if (ib.pos == ib.size && ob.pos < kOut) return "";
    }
  }
  std::string finish() override {
    if (any_input_ && rc_ != 0) return "Failed to decompress zstd body: truncated frame";
    return "";
  }

 private:
  ZSTD_DStream* ds_;
  size_t rc_ = 0;
};

// gzip (several members allowed, like `cat a.gz b.gz`) or zlib-wrapped deflate.
class ZlibDecoder final : public Decoder {
 public:
  ZlibDecoder(bool gzip, const char* name) : gzip_(gzip), name_(name) {
    ok_ = inflateInit2(&zs_, gzip ? 15 + 16 : 15) == Z_OK;
  }
  ~ZlibDecoder() override {
    if (ok_) inflateEnd(&zs_);
  }
  std::string feed(const char* data, size_t size, uint64_t* newlines) override {
    if (!ok_) return "sr-emulator: zlib init failed";
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zs_.avail_in = static_cast<uInt>(size);  // MHD hands out pieces far below 4 GB
    for (;;) {
      if (ended_ && zs_.avail_in > 0) {
        if (!gzip_) return fail("trailing data");
        if (inflateReset(&zs_) != Z_OK) return fail("corrupt data");
        ended_ = false;
      }
      zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
      zs_.avail_out = static_cast<uInt>(kOut);
      int rc = inflate(&zs_, Z_NO_FLUSH);
      *newlines += count_newlines(out_.data(), kOut - zs_.avail_out, delim);
      if (rc == Z_STREAM_END) {
        ended_ = true;
        if (zs_.avail_in == 0) return "";
        continue;
      }
      if (rc == Z_BUF_ERROR && zs_.avail_in == 0) return "";  // needs more input
      if (rc != Z_OK) return fail(zs_.msg ? zs_.msg : "corrupt data");
      if (zs_.avail_in == 0 && zs_.avail_out != 0) return "";
    }
  }
  std::string finish() override {
    if (any_input_ && !ended_) return fail("truncated");
    return "";
  }

 private:
  std::string fail(const std::string& why) const {
    return std::string("Failed to decompress ") + name_ + " body: " + why;
  }
  z_stream zs_{};
  bool gzip_, ok_ = false, ended_ = false;
  const char* name_;
};

// A decoder for an algorithm this counter does not stream: the load fails with this message.
class Unsupported final : public Decoder {
 public:
  explicit Unsupported(std::string algo) : algo_(std::move(algo)) {}
  std::string feed(const char*, size_t, uint64_t*) override {
    return "sr-emulator: compression " + algo_ + " is not supported with --discard";
  }
  std::string finish() override { return ""; }

 private:
  std::string algo_;
};

}  // namespace

BodyNewlineCounter::BodyNewlineCounter(const std::string& algo, char delim) : delim_(delim) {
  if (algo.empty()) return;
  if (algo == "lz4_frame" || algo == "lz4") {
    decoder_ = std::make_unique<Lz4Decoder>();
  } else if (algo == "zstd") {
    decoder_ = std::make_unique<ZstdDecoder>();
  } else if (algo == "gzip") {
    decoder_ = std::make_unique<ZlibDecoder>(true, "gzip");
  } else if (algo == "deflate" || algo == "zlib") {
    decoder_ = std::make_unique<ZlibDecoder>(false, algo == "zlib" ? "zlib" : "deflate");
  } else {
    decoder_ = std::make_unique<Unsupported>(algo);
  }
  if (decoder_) decoder_->delim = delim;
}

BodyNewlineCounter::~BodyNewlineCounter() = default;

void BodyNewlineCounter::feed(const char* data, size_t size) {
  if (!decoder_) {
    newlines_ += count_newlines(data, size, delim_);
    return;
  }
  if (!error_.empty() || size == 0) return;
  decoder_->any_input_ = true;
  error_ = decoder_->feed(data, size, &newlines_);
}

std::string BodyNewlineCounter::finish() {
  if (error_.empty() && decoder_) error_ = decoder_->finish();
  return error_;
}

}  // namespace sremu
