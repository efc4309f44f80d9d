// The Stream Load body format (option `format`) and the headers that describe it to StarRocks.
//
// CSV layout: fields in the opened column order then `__op`, separated by the ASCII unit
// separator 0x1F; rows end with the record separator 0x1E; NULL is the bare field \N. Values are
// written as they are, without enclose or escape bytes, because StarRocks' transaction Stream Load
// ignores the `enclose` and `escape` headers (be/src/http/action/transaction_stream_load.cpp,
// _parse_request passes only column_separator and row_delimiter) and one layout serves both
// execution modes. So nothing can split a row wrongly, a string holding 0x1E or 0x1F is refused
// at write (JSON escapes them; text data practically never holds them); tabs, line breaks,
// commas and quotes are plain data. StarRocks compares every field with \N, so the one other
// string CSV cannot carry is exactly \N: it is refused too. Numbers, dates, booleans, JSON text
// (its strings escape control bytes) and base64 never hold 0x1E/0x1F.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "options.h"

namespace srs {

constexpr char kCsvSeparator = '\x1f';
constexpr char kCsvRowDelimiter = '\x1e';

// format (and, for JSON, strip_outer_array), the CSV separators, and how the body is
// compressed: JSON carries `compression`; CSV names the compressed stream in `format` (gzip,
// lz4, zstd), since StarRocks' CSV reader ignores `compression` (spec §3.5).
std::vector<std::pair<std::string, std::string>> body_format_headers(const Options& options);

}  // namespace srs
