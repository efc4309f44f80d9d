// Compressors and CompressingBody (compress.h): every algorithm round-trips through its own
// library's decompressor as exactly one frame, whatever piece sizes curl asks for; the output
// does not depend on those sizes; a rewind mid-body resends identical bytes.
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "compress.h"

namespace srs {
namespace {

// The pipeline's body as the sink's I/O thread sees it: the body in pieces of `piece` bytes
// (chunks), replayable.
class StringBody final : public BodySource {
 public:
  StringBody(std::string data, size_t piece, uint64_t rows)
      : data_(std::move(data)), piece_(piece), rows_(rows) {}
  size_t read(char* dst, size_t cap, bool* cancelled) override {
    if (cancel_at_ && pos_ >= cancel_at_) {
      *cancelled = true;
      return 0;
    }
    size_t n = std::min({cap, piece_ - pos_ % piece_, data_.size() - pos_});
    std::memcpy(dst, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  bool rewind() override {
    pos_ = 0;
    return true;
  }
  bool replayable() const override { return true; }
  uint64_t rows() const override { return rows_; }
  uint64_t bytes() const override { return data_.size(); }
  size_t cancel_at_ = 0;  // 0: never

 private:
  std::string data_;
  size_t piece_;
  uint64_t rows_;
  size_t pos_ = 0;
};

// NDJSON rows with repetition and some noise, like encoded sink rows.
std::string ndjson(size_t bytes, uint64_t* rows) {
  std::mt19937 rng(7);
  std::string s;
  *rows = 0;
  while (s.size() < bytes) {
    s += "{\"id\":" + std::to_string(rng() % 100000) + ",\"name\":\"customer-" +
         std::to_string(rng() % 300) + "\",\"amount\":" + std::to_string(rng() % 1000) +
         ".5,\"__op\":0}\n";
    ++*rows;
  }
  return s;
}

// Reads the whole body in reads of `cap` bytes.
std::string drain(BodySource& b, size_t cap) {
  std::string out, buf(cap, '\0');
  for (;;) {
    bool cancelled = false;
    size_t n = b.read(&buf[0], cap, &cancelled);
    EXPECT_FALSE(cancelled);
    if (n == 0) return out;
    out.append(buf.data(), n);
  }
}

// Decoders that insist on exactly one frame/member covering the whole input (what StarRocks'
// BE stream decompressors are guaranteed to read).
std::string unlz4(const std::string& in) {
  LZ4F_dctx* d = nullptr;
  EXPECT_FALSE(LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)));
  std::string out;
  size_t pos = 0, hint = 1;
  std::vector<char> buf(1 << 16);
  while (hint != 0) {
    size_t dst = buf.size(), src = in.size() - pos;
    hint = LZ4F_decompress(d, buf.data(), &dst, in.data() + pos, &src, nullptr);
    EXPECT_FALSE(LZ4F_isError(hint)) << LZ4F_getErrorName(hint);
    if (LZ4F_isError(hint)) break;
    out.append(buf.data(), dst);
    pos += src;
    if (src == 0 && dst == 0) break;
  }
  EXPECT_EQ(hint, 0u) << "frame not complete";
  EXPECT_EQ(pos, in.size()) << "bytes after the first frame";
  LZ4F_freeDecompressionContext(d);
  return out;
}

std::string unzstd(const std::string& in) {
  EXPECT_EQ(ZSTD_findFrameCompressedSize(in.data(), in.size()), in.size()) << "not one frame";
  ZSTD_DCtx* d = ZSTD_createDCtx();
  std::string out;
  std::vector<char> buf(1 << 16);
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  size_t rc = 1;
  while (ib.pos < ib.size || rc != 0) {
    ZSTD_outBuffer ob{buf.data(), buf.size(), 0};
    rc = ZSTD_decompressStream(d, &ob, &ib);
    EXPECT_FALSE(ZSTD_isError(rc)) << ZSTD_getErrorName(rc);
    if (ZSTD_isError(rc)) break;
    out.append(buf.data(), ob.pos);
    if (ob.pos == 0 && ib.pos == ib.size) break;
  }
  EXPECT_EQ(rc, 0u) << "frame not complete";
  ZSTD_freeDCtx(d);
  return out;
}

std::string ungzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  std::vector<char> buf(1 << 16);
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf.data(), buf.size() - zs.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END) << "member not complete";
  EXPECT_EQ(zs.avail_in, 0u) << "bytes after the first member";
  inflateEnd(&zs);
  return out;
}

std::string decode(Compression c, const std::string& in) {
  switch (c) {
    case Compression::kLz4Frame: return unlz4(in);
    case Compression::kZstd: return unzstd(in);
    case Compression::kGzip: return ungzip(in);
    case Compression::kNone: break;
  }
  return in;
}

std::unique_ptr<Compressor> compressor(Compression c, int level) {
  auto r = make_compressor(c, level);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : nullptr;
}

class Algorithms : public ::testing::TestWithParam<std::pair<Compression, int>> {};

TEST_P(Algorithms, RoundTripsAsOneFrameWhateverTheReadSizes) {
  const auto [algo, level] = GetParam();
  uint64_t rows = 0;
  const std::string body = ndjson((3 << 20) + 12345, &rows);
  BodyCompression state;
  state.compressor = compressor(algo, level);
  ASSERT_TRUE(state.compressor);
  std::string first;
  for (size_t cap : {size_t{1}, size_t{7}, size_t{64} << 10, size_t{1} << 20}) {
    StringBody inner(body, size_t{1} << 20, rows);
    CompressingBody zipped(inner, state);
    std::string wire = drain(zipped, cap);
    EXPECT_EQ(zipped.wire_bytes(), wire.size());
    EXPECT_EQ(zipped.bytes(), body.size()) << "bytes() is the uncompressed body";
    EXPECT_EQ(zipped.rows(), rows);
    EXPECT_LT(wire.size(), body.size() / 2) << compression_name(algo);
    EXPECT_TRUE(decode(algo, wire) == body) << compression_name(algo) << " read size " << cap;
    // The same body gives the same bytes, however curl slices its reads.
    if (first.empty()) first = wire;
    EXPECT_TRUE(wire == first) << compression_name(algo) << " read size " << cap;
  }
}

TEST_P(Algorithms, ARewindMidBodyResendsIdenticalBytes) {
  const auto [algo, level] = GetParam();
  uint64_t rows = 0;
  const std::string body = ndjson((2 << 20) + 999, &rows);
  BodyCompression state;
  state.compressor = compressor(algo, level);
  ASSERT_TRUE(state.compressor);
  // Inner pieces smaller than the staging buffer, like a chunk cut short by a flush.
  StringBody inner(body, 300000, rows);
  CompressingBody zipped(inner, state);
  std::string partial, buf(4096, '\0');
  bool cancelled = false;
  while (partial.size() < 100000) {
    size_t n = zipped.read(&buf[0], buf.size(), &cancelled);
    ASSERT_GT(n, 0u);
    partial.append(buf.data(), n);
  }
  ASSERT_TRUE(zipped.rewind());
  EXPECT_EQ(zipped.wire_bytes(), 0u);
  std::string full = drain(zipped, 5000);
  EXPECT_TRUE(full.compare(0, partial.size(), partial) == 0) << "the replay starts differently";
  EXPECT_TRUE(decode(algo, full) == body);
  // A new body on the same (reused) compressor starts a fresh frame with the same bytes.
  StringBody again(body, 300000, rows);
  CompressingBody zipped2(again, state);
  EXPECT_TRUE(drain(zipped2, 1 << 16) == full);
}

TEST_P(Algorithms, AnEmptyBodyIsAValidEmptyFrame) {
  const auto [algo, level] = GetParam();
  BodyCompression state;
  state.compressor = compressor(algo, level);
  ASSERT_TRUE(state.compressor);
  StringBody inner("", 1 << 20, 0);
  CompressingBody zipped(inner, state);
  std::string wire = drain(zipped, 1 << 16);
  EXPECT_FALSE(wire.empty());
  EXPECT_EQ(decode(algo, wire), "");
}

TEST_P(Algorithms, ACancelledInnerReadCancelsTheBody) {
  const auto [algo, level] = GetParam();
  uint64_t rows = 0;
  BodyCompression state;
  state.compressor = compressor(algo, level);
  ASSERT_TRUE(state.compressor);
  StringBody inner(ndjson(3 << 20, &rows), 1 << 20, rows);
  inner.cancel_at_ = 1 << 20;
  CompressingBody zipped(inner, state);
  std::string buf(1 << 16, '\0');
  bool cancelled = false;
  size_t total = 0;
  for (int i = 0; i < 10000 && !cancelled; ++i) {
    size_t n = zipped.read(&buf[0], buf.size(), &cancelled);
    if (n == 0) break;
    total += n;
  }
  EXPECT_TRUE(cancelled) << "the body ended as if complete";
  EXPECT_GT(total, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Compressors, Algorithms,
    ::testing::Values(std::make_pair(Compression::kLz4Frame, 0),
                      std::make_pair(Compression::kLz4Frame, 9),
                      std::make_pair(Compression::kZstd, 1), std::make_pair(Compression::kZstd, 9),
                      std::make_pair(Compression::kGzip, 1), std::make_pair(Compression::kGzip, 9)),
    [](const ::testing::TestParamInfo<std::pair<Compression, int>>& i) {
      return std::string(compression_name(i.param.first)) + "_level" + std::to_string(i.param.second);
    });

TEST(Compression, NamesAreTheStarRocksHeaderValues) {
  EXPECT_STREQ(compression_name(Compression::kLz4Frame), "lz4_frame");
  EXPECT_STREQ(compression_name(Compression::kZstd), "zstd");
  EXPECT_STREQ(compression_name(Compression::kGzip), "gzip");
  EXPECT_FALSE(make_compressor(Compression::kNone, 0).ok());
}

}  // namespace
}  // namespace srs
