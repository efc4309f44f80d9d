// The Stream Load body format (option `format`) and the headers that describe it to StarRocks.
//
// CSV layout (every string round-trips; be/src/formats/csv/csv_reader.cpp, CSVReader::more_rows):
// fields in the opened column order then `__op`, separated by ',', rows ended by '\n'. Every
// string-like value is enclosed in '"'; inside it '"' and the escape byte '|' are preceded by
// '|'. Separators and line breaks inside an enclosed field are data, so no value can split a
// row. NULL is the bare field \N. Numbers, dates and booleans are bare tokens, which hold none
// of the special bytes. The escape byte is not '\' because StarRocks strips escape bytes
// before it compares a field with \N: with '\' a bare \N would read as "N".
// StarRocks also reads an enclosed "\N" as NULL (the converter sees the field after enclose and
// escape are removed), so the one string CSV cannot carry is exactly \N: it is refused.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "options.h"

namespace srs {

constexpr char kCsvSeparator = ',';
constexpr char kCsvRowDelimiter = '\n';
constexpr char kCsvEnclose = '"';
constexpr char kCsvEscape = '|';

// format (and, for JSON, strip_outer_array), the CSV layout headers, and how the body is
// compressed: JSON carries `compression`; CSV names the compressed stream in `format` (gzip,
// lz4, zstd), since StarRocks' CSV reader ignores `compression` (spec §3.5).
std::vector<std::pair<std::string, std::string>> body_format_headers(const Options& options);

}  // namespace srs
