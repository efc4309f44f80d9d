#include "wire_format.h"

#include "compress.h"

namespace srs {

std::vector<std::pair<std::string, std::string>> body_format_headers(const Options& o) {
  std::vector<std::pair<std::string, std::string>> h;
  if (o.format == WireFormat::kJson) {
    h.emplace_back("format", "json");
    h.emplace_back("strip_outer_array", "false");  // NDJSON: one object per line
    if (o.compression != Compression::kNone) h.emplace_back("compression", compression_name(o.compression));
    return h;
  }
  const char* format = "csv";
  switch (o.compression) {
    case Compression::kNone: break;
    case Compression::kLz4Frame: format = "lz4"; break;  // StarRocks' name of the LZ4 frame format
    case Compression::kZstd: format = "zstd"; break;
    case Compression::kGzip: format = "gzip"; break;
  }
  h.emplace_back("format", format);
  // StarRocks' hex form of a delimiter (control bytes cannot travel raw in a header).
  h.emplace_back("column_separator", "\\x1f");
  h.emplace_back("row_delimiter", "\\x1e");
  return h;
}

}  // namespace srs
