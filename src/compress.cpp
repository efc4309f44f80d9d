// Streaming compressors for load bodies and the CompressingBody wrapper (see compress.h).
#include "compress.h"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>

namespace srs {
namespace {

Status compress_error(const char* algo, const std::string& why) {
  return Status::Error(SR_SINK_E_INTERNAL, std::string("compression ") + algo + ": " + why);
}

// Grows *out by `extra` bytes and returns where the new bytes start.
char* grow(std::string* out, size_t extra) {
  size_t old = out->size();
  out->resize(old + extra);
  return &(*out)[old];
}

// LZ4 frame format: 1 MiB independent-of-size blocks, linked (later blocks reference earlier
// data, so flushing once per input piece costs little ratio), content checksum on.
class Lz4Compressor final : public Compressor {
 public:
  explicit Lz4Compressor(int level) {
    prefs_.frameInfo.blockSizeID = LZ4F_max1MB;
    prefs_.frameInfo.blockMode = LZ4F_blockLinked;
    prefs_.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    prefs_.compressionLevel = level;
    prefs_.autoFlush = 0;
  }
  ~Lz4Compressor() override {
    if (ctx_) LZ4F_freeCompressionContext(ctx_);
  }
  Status init() {
    LZ4F_errorCode_t rc = LZ4F_createCompressionContext(&ctx_, LZ4F_VERSION);
    if (LZ4F_isError(rc)) return compress_error("lz4_frame", LZ4F_getErrorName(rc));
    return Status::OK();
  }
  Status begin(std::string* out) override {
    // compressBegin restarts the context, whatever state the previous frame left.
    char* p = grow(out, LZ4F_HEADER_SIZE_MAX);
    size_t n = LZ4F_compressBegin(ctx_, p, LZ4F_HEADER_SIZE_MAX, &prefs_);
    if (LZ4F_isError(n)) return fail(out, p, n);
    out->resize(out->size() - LZ4F_HEADER_SIZE_MAX + n);
    return Status::OK();
  }
  Status update(std::string_view in, std::string* out) override {
    // The bound covers the update plus the flush of everything buffered.
    size_t bound = LZ4F_compressBound(in.size(), &prefs_);
    char* p = grow(out, bound);
    size_t n = LZ4F_compressUpdate(ctx_, p, bound, in.data(), in.size(), nullptr);
    if (LZ4F_isError(n)) return fail(out, p, n);
    size_t m = LZ4F_flush(ctx_, p + n, bound - n, nullptr);
    if (LZ4F_isError(m)) return fail(out, p, m);
    out->resize(out->size() - bound + n + m);
    return Status::OK();
  }
  Status finish(std::string* out) override {
    size_t bound = LZ4F_compressBound(0, &prefs_);
    char* p = grow(out, bound);
    size_t n = LZ4F_compressEnd(ctx_, p, bound, nullptr);
    if (LZ4F_isError(n)) return fail(out, p, n);
    out->resize(out->size() - bound + n);
    return Status::OK();
  }

 private:
  Status fail(std::string* out, char* start, size_t code) {
    out->resize(static_cast<size_t>(start - out->data()));
    return compress_error("lz4_frame", LZ4F_getErrorName(code));
  }
  LZ4F_preferences_t prefs_{};
  LZ4F_cctx* ctx_ = nullptr;
};

// zstd frame with a content checksum; single-threaded (nbWorkers 0), so the output is
// deterministic.
class ZstdCompressor final : public Compressor {
 public:
  explicit ZstdCompressor(int level) : level_(level) {}
  ~ZstdCompressor() override { ZSTD_freeCCtx(ctx_); }
  Status init() {
    ctx_ = ZSTD_createCCtx();
    if (!ctx_) return Status::Error(SR_SINK_E_NO_MEMORY, "compression zstd: out of memory");
    SRS_RETURN_IF_ERROR(check(ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level_)));
    return check(ZSTD_CCtx_setParameter(ctx_, ZSTD_c_checksumFlag, 1));
  }
  Status begin(std::string*) override {
    // Keeps the parameters; drops a half-written frame of an abandoned attempt.
    return check(ZSTD_CCtx_reset(ctx_, ZSTD_reset_session_only));
  }
  Status update(std::string_view in, std::string* out) override {
    return stream(in, ZSTD_e_flush, out);
  }
  Status finish(std::string* out) override { return stream({}, ZSTD_e_end, out); }

 private:
  Status check(size_t rc) {
    if (ZSTD_isError(rc)) return compress_error("zstd", ZSTD_getErrorName(rc));
    return Status::OK();
  }
  // Runs until the input is consumed and the flush/end is complete (return value 0).
  Status stream(std::string_view in, ZSTD_EndDirective mode, std::string* out) {
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    const size_t step = ZSTD_CStreamOutSize();
    for (;;) {
      size_t old = out->size();
      char* p = grow(out, step);
      ZSTD_outBuffer ob{p, step, 0};
      size_t rc = ZSTD_compressStream2(ctx_, &ob, &ib, mode);
      out->resize(old + ob.pos);
      SRS_RETURN_IF_ERROR(check(rc));
      if (rc == 0 && ib.pos == ib.size) return Status::OK();
    }
  }
  int level_;
  ZSTD_CCtx* ctx_ = nullptr;
};

// gzip (RFC 1952) via zlib's deflate with the gzip wrapper. The header's mtime stays 0 (no
// deflateSetHeader), so the bytes do not depend on the time.
class GzipCompressor final : public Compressor {
 public:
  explicit GzipCompressor(int level) : level_(level) {}
  ~GzipCompressor() override {
    if (ready_) deflateEnd(&zs_);
  }
  Status init() {
    int rc = deflateInit2(&zs_, level_, Z_DEFLATED, 15 + 16 /* gzip wrapper */, 8,
                          Z_DEFAULT_STRATEGY);
    if (rc == Z_MEM_ERROR) {
      return Status::Error(SR_SINK_E_NO_MEMORY, "compression gzip: out of memory");
    }
    if (rc != Z_OK) {
      return compress_error("gzip", "deflateInit2 failed (" + std::to_string(rc) + ")");
    }
    ready_ = true;
    return Status::OK();
  }
  Status begin(std::string*) override {
    if (deflateReset(&zs_) != Z_OK) return compress_error("gzip", "deflateReset failed");
    return Status::OK();
  }
  Status update(std::string_view in, std::string* out) override {
    return run(in, Z_SYNC_FLUSH, out);
  }
  Status finish(std::string* out) override { return run({}, Z_FINISH, out); }

 private:
  Status run(std::string_view in, int flush, std::string* out) {
    // Input pieces are at most CompressingBody::kStagingBytes, far below uInt's range.
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    const size_t step = deflateBound(&zs_, static_cast<uLong>(in.size())) + 64;
    for (;;) {
      size_t old = out->size();
      char* p = grow(out, step);
      zs_.next_out = reinterpret_cast<Bytef*>(p);
      zs_.avail_out = static_cast<uInt>(step);
      int rc = deflate(&zs_, flush);
      out->resize(old + step - zs_.avail_out);
      if (rc == Z_STREAM_END) return Status::OK();
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return compress_error("gzip", zs_.msg ? zs_.msg : "deflate failed");
      }
      // Z_SYNC_FLUSH is complete once deflate left output space unused.
      if (flush != Z_FINISH && zs_.avail_in == 0 && zs_.avail_out != 0) return Status::OK();
    }
  }
  int level_;
  z_stream zs_{};
  bool ready_ = false;
};

template <typename T>
Result<std::unique_ptr<Compressor>> made(std::unique_ptr<T> c) {
  Status st = c->init();
  if (!st.ok()) return st;
  return std::unique_ptr<Compressor>(std::move(c));
}

}  // namespace

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::kLz4Frame: return "lz4_frame";
    case Compression::kZstd: return "zstd";
    case Compression::kGzip: return "gzip";
    case Compression::kNone: break;
  }
  return "";
}

Result<std::unique_ptr<Compressor>> make_compressor(Compression c, int level) {
  switch (c) {
    case Compression::kLz4Frame: return made(std::make_unique<Lz4Compressor>(level));
    case Compression::kZstd: return made(std::make_unique<ZstdCompressor>(level));
    case Compression::kGzip: return made(std::make_unique<GzipCompressor>(level));
    case Compression::kNone: break;
  }
  return Status::Error(SR_SINK_E_INTERNAL, "make_compressor: no compression selected");
}

CompressingBody::CompressingBody(BodySource& inner, BodyCompression& state)
    : inner_(inner), compressor_(*state.compressor), staging_(state.staging), out_(state.out) {
  out_.clear();
}

size_t CompressingBody::read(char* dst, size_t cap, bool* cancelled) {
  for (;;) {
    if (out_pos_ < out_.size()) {
      size_t n = std::min(cap, out_.size() - out_pos_);
      std::memcpy(dst, out_.data() + out_pos_, n);
      out_pos_ += n;
      wire_bytes_ += n;
      return n;
    }
    if (finished_ || !error_.ok()) {
      if (!error_.ok()) *cancelled = true;
      return 0;
    }
    out_.clear();
    out_pos_ = 0;
    if (!started_) {
      started_ = true;
      error_ = compressor_.begin(&out_);
      continue;
    }
    // One inner read per update: the pieces (and so the output) depend only on the inner body,
    // never on how much curl asks for, which keeps a replay byte-identical.
    staging_.resize(kStagingBytes);
    size_t n = inner_.read(&staging_[0], kStagingBytes, cancelled);
    if (*cancelled) return 0;
    if (n == 0) {
      finished_ = true;
      error_ = compressor_.finish(&out_);
    } else {
      error_ = compressor_.update(std::string_view(staging_.data(), n), &out_);
    }
  }
}

bool CompressingBody::rewind() {
  if (!inner_.rewind()) return false;
  out_.clear();
  out_pos_ = 0;
  started_ = finished_ = false;
  wire_bytes_ = 0;
  error_ = Status::OK();
  return true;
}

}  // namespace srs
