// Throughput of the row validator and the NDJSON encoder on typical rows.
// Usage: sr_sink_encode_bench [megabytes=256] [kind: 0 mixed | 1 numeric | 2 CJK text | 3 orders].
// Prints MB/s; build Release for real numbers.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "encode.h"
#include "json_fast.h"
#include "row_check.h"

// Three row shapes: typical mixed rows, numeric-only rows, and CJK-heavy text rows.
std::string make_row(int kind, int i) {
  switch (kind) {
    case 1:
      return "{\"id\":" + std::to_string(1000000 + i) + ",\"a\":" + std::to_string(i * 3.5) +
             ",\"b\":-" + std::to_string(i) + ",\"c\":1.5e-3,\"d\":" + std::to_string(i * 7) +
             ",\"e\":0,\"f\":[1,2,3,4,5,6,7,8]}";
    case 2: {
      std::string text;
      for (int k = 0; k < 40; ++k) text += "\xE4\xB8\xAD\xE6\x96\x87";  // 中文
      return "{\"id\":" + std::to_string(i) + ",\"text\":\"" + text + "\"}";
    }
    case 3:  // the shape of bench/'s orders rows; every 20th a delete (the key only)
      if (i % 20 == 19) return "{\"id\":" + std::to_string(i + 1) + "}";
      return "{\"id\":" + std::to_string(i + 1) + ",\"customer\":" + std::to_string(100000 + i * 7919 % 900000) +
             ",\"name\":\"zoe lopez-" + std::to_string(10000 + i % 90000) + "\",\"amount\":" +
             std::to_string(i % 1000000) + "." + std::to_string(10 + i % 90) +
             ",\"ts\":\"2026-03-19 08:09:48\",\"flag\":" + (i % 2 ? "true" : "false") + "}";
    default:
      return "{\"id\":" + std::to_string(1000000 + i) + ",\"name\":\"customer name number " +
             std::to_string(i) + "\",\"city\":\"S\xC3\xA3o Paulo\",\"amount\":" +
             std::to_string(i * 1.25) +
             ",\"active\":true,\"note\":null,\"tags\":[\"a\",\"b\",\"c\"],"
             "\"comment\":\"a longer free-text comment with \\\"quotes\\\" and more words\"}";
  }
}

int main(int argc, char** argv) {
  const size_t target_mb = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  const int kind = argc > 2 ? std::atoi(argv[2]) : 0;  // 0 mixed, 1 numeric, 2 CJK text, 3 orders
  std::vector<std::string> rows;
  size_t bytes = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string r = make_row(kind, i);
    bytes += r.size();
    rows.push_back(std::move(r));
  }
  const size_t rounds = target_mb * 1000000 / bytes + 1;
  std::string why;
  std::vector<char> line_break(rows.size());  // what the validator reports, as Sink::write uses it
  auto t0 = std::chrono::steady_clock::now();
  size_t ok = 0;
  for (size_t k = 0; k < rounds; ++k) {
    for (size_t i = 0; i < rows.size(); ++i) {
      bool lb = true;
      ok += srs::validate_json_object(rows[i], &why, &lb);
      line_break[i] = lb;
    }
  }
  auto t1 = std::chrono::steady_clock::now();
  size_t ok_ref = 0;
  for (size_t k = 0; k < rounds; ++k) {
    for (size_t i = 0; i < rows.size(); ++i) {
      bool lb = true;
      ok_ref += srs::validate_json_object_reference(rows[i], &why, &lb);
    }
  }
  auto t1b = std::chrono::steady_clock::now();
  std::string out;
  out.reserve(bytes + rows.size() * 16);
  for (size_t k = 0; k < rounds; ++k) {
    out.clear();
    for (size_t i = 0; i < rows.size(); ++i) srs::append_row_with_op(&out, rows[i], 0, line_break[i] != 0);
  }
  auto t2 = std::chrono::steady_clock::now();
  // As Sink::write sees the rows: in a buffer with kFastPadding bytes after each. Validation alone
  // (before the key check existed), then RowCheck (validation + the key check).
  static const std::vector<std::string> kColumns[] = {
      {"id", "name", "city", "amount", "active", "note", "tags", "comment"},
      {"id", "a", "b", "c", "d", "e", "f"},
      {"id", "text"},
      {"id", "customer", "name", "amount", "ts", "flag"}};
  std::string padded;
  std::vector<std::pair<size_t, size_t>> at;
  for (const std::string& r : rows) {
    at.emplace_back(padded.size(), r.size());
    padded += r;
    padded.append(srs::kFastPadding, ' ');
  }
  srs::RowCheck check(kColumns[kind < 0 || kind > 3 ? 0 : kind], {"id"});
  // Alternating passes over the rows, the fastest of each kind kept: a busy machine slows some
  // passes, and the minimum is what the code costs.
  size_t ok_padded = 0, ok_check = 0;
  double ns_padded = 1e18, ns_check = 1e18;
  const double pass_rows = static_cast<double>(rows.size());
  for (size_t k = 0; k < rounds; ++k) {
    auto a = std::chrono::steady_clock::now();
    for (const auto& [off, len] : at) {
      bool lb = true;
      ok_padded += srs::validate_json_object(std::string_view(padded.data() + off, len), &why, &lb, true);
    }
    auto b = std::chrono::steady_clock::now();
    for (const auto& [off, len] : at) {
      bool lb = true;
      ok_check += check.check(std::string_view(padded.data() + off, len), &lb, &why) == srs::RowCheck::Verdict::kOk;
    }
    auto c = std::chrono::steady_clock::now();
    ns_padded = std::min(ns_padded, std::chrono::duration<double, std::nano>(b - a).count() / pass_rows);
    ns_check = std::min(ns_check, std::chrono::duration<double, std::nano>(c - b).count() / pass_rows);
  }
  const double total_mb = static_cast<double>(bytes) * rounds / 1e6;
  const double v = total_mb / std::chrono::duration<double>(t1 - t0).count();
  const double r = total_mb / std::chrono::duration<double>(t1b - t1).count();
  const double e = total_mb / std::chrono::duration<double>(t2 - t1b).count();
  std::printf("{\"rows_valid\":%zu,\"avg_row_bytes\":%zu,\"fast_path\":\"%s\",\"validate_MBps\":%.0f,"
              "\"reference_MBps\":%.0f,\"encode_MBps\":%.0f,\"validate_padded_ns_per_row\":%.1f,"
              "\"row_check_ns_per_row\":%.1f}\n",
              ok, bytes / rows.size(), srs::fast_path_name(), v, r, e, ns_padded, ns_check);
  return ok == rounds * rows.size() && ok_ref == ok && ok_padded == ok && ok_check == ok ? 0 : 1;
}
