// decompress(): gzip, deflate/zlib, LZ4 frame, zstd (spec §3.5).
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include "test_util.h"

namespace sremu::test {
namespace {

std::string sample() {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += "{\"id\":" + std::to_string(i) + ",\"name\":\"row " + std::to_string(i) + "\"}\n";
  return s;
}

// window_bits: 15+16 gzip, 15 zlib, -15 raw deflate.
std::string zlib_compress(const std::string& in, int window_bits) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string lz4_compress(const std::string& in) {
  std::string out(LZ4F_compressFrameBound(in.size(), nullptr), '\0');
  size_t n = LZ4F_compressFrame(&out[0], out.size(), in.data(), in.size(), nullptr);
  EXPECT_FALSE(LZ4F_isError(n));
  out.resize(n);
  return out;
}

std::string zstd_compress(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(&out[0], out.size(), in.data(), in.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string roundtrip(const std::string& algo, const std::string& compressed) {
  std::string out;
  auto err = decompress(algo, compressed, &out);
  return err ? "ERR: " + *err : out;
}

TEST(Decompress, EveryAlgorithmRoundTrips) {
  const std::string s = sample();
  EXPECT_EQ(roundtrip("gzip", zlib_compress(s, 15 + 16)), s);
  EXPECT_EQ(roundtrip("deflate", zlib_compress(s, 15)), s);
  EXPECT_EQ(roundtrip("deflate", zlib_compress(s, -15)), s);
  EXPECT_EQ(roundtrip("zlib", zlib_compress(s, 15)), s);
  EXPECT_EQ(roundtrip("lz4_frame", lz4_compress(s)), s);
  EXPECT_EQ(roundtrip("lz4", lz4_compress(s)), s);
  EXPECT_EQ(roundtrip("zstd", zstd_compress(s)), s);
  EXPECT_EQ(roundtrip("ZSTD", zstd_compress(s)), s);
  EXPECT_EQ(roundtrip("", s), s);
}

TEST(Decompress, ConcatenatedMembersAndFrames) {
  EXPECT_EQ(roundtrip("gzip", zlib_compress("ab", 31) + zlib_compress("cd", 31)), "abcd");
  EXPECT_EQ(roundtrip("zstd", zstd_compress("ab") + zstd_compress("cd")), "abcd");
  EXPECT_EQ(roundtrip("lz4_frame", lz4_compress("ab") + lz4_compress("cd")), "abcd");
}

TEST(Decompress, EmptyInputs) {
  EXPECT_EQ(roundtrip("gzip", zlib_compress("", 31)), "");
  EXPECT_EQ(roundtrip("zstd", zstd_compress("")), "");
  EXPECT_EQ(roundtrip("lz4_frame", lz4_compress("")), "");
}

TEST(Decompress, CorruptAndTruncatedInputsAreErrors) {
  const std::string s = sample();
  for (std::string algo : {"gzip", "deflate", "lz4_frame", "zstd"}) {
    std::string c = algo == "gzip" ? zlib_compress(s, 31)
                    : algo == "deflate" ? zlib_compress(s, 15)
                    : algo == "lz4_frame" ? lz4_compress(s) : zstd_compress(s);
    std::string out;
    EXPECT_TRUE(decompress(algo, c.substr(0, c.size() / 2), &out).has_value()) << algo << " truncated";
    EXPECT_TRUE(decompress(algo, "this is not compressed at all", &out).has_value()) << algo << " garbage";
  }
}

TEST(Decompress, UnsupportedAlgorithmsSaySo) {
  std::string out;
  auto err = decompress("bzip2", "BZh9", &out);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("bzip2"), std::string::npos);
  EXPECT_TRUE(decompress("snappy", "x", &out).has_value());
}

}  // namespace
}  // namespace sremu::test
