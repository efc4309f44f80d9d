// The row validator three ways: the SIMD fast path (exact and padded input, with and without key
// positions), the byte-by-byte reference recogniser, and an independent strict parser
// (json_oracle.h). The reference and the oracle must agree on every input; the fast path may
// only accept what they accept, with the same line-break flag and the real key positions.
// Then RowCheck on the row (columns taken from the input) must not crash and must agree with
// validation on whether the row is JSON at all.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <cstring>
#include <string>
#include <vector>

#include "encode.h"
#include "fuzz_check.h"
#include "json_fast.h"
#include "json_oracle.h"
#include "row_check.h"

using fuzz::show;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view row(reinterpret_cast<const char*>(data), size);
  std::string why;
  bool ref_lb = false;
  const bool ref = srs::validate_json_object_reference(row, &why, &ref_lb);
  const bool oracle = fuzz::JsonOracle::valid_row(row);
  FUZZ_CHECK(ref == oracle, "reference %d (%s) vs oracle %d on `%s`", ref, why.c_str(), oracle,
             show(row).c_str());
  FUZZ_CHECK(ref || !why.empty(), "a rejection without a reason on `%s`", show(row).c_str());
  if (ref) {
    const bool has_raw_break = row.find_first_of("\r\n") != std::string_view::npos;
    FUZZ_CHECK(ref_lb == has_raw_break, "line_break %d on `%s`", ref_lb, show(row).c_str());
  }

  // The public entry (fast path first, then the reference).
  bool lb = false;
  std::string why2;
  FUZZ_CHECK(srs::validate_json_object(row, &why2, &lb) == ref, "validate_json_object differs on `%s`", show(row).c_str());
  if (ref) FUZZ_CHECK(lb == ref_lb, "validate_json_object line_break on `%s`", show(row).c_str());

  // The fast path alone, on an exact-size heap copy (ASan sees any read past the end).
  std::unique_ptr<char[]> exact(new char[size ? size : 1]);
  if (size) std::memcpy(exact.get(), data, size);
  bool flb = false;
  if (srs::fast_accept_json_object(exact.get(), size, &flb)) {
    FUZZ_CHECK(ref, "fast path accepts what the reference refuses (%s): `%s`", why.c_str(), show(row).c_str());
    FUZZ_CHECK(flb == ref_lb, "fast path line_break on `%s`", show(row).c_str());
  }
  // Padded: followed by kFastPadding bytes of garbage that must not change the verdict.
  std::vector<char> padded(size + srs::kFastPadding);
  if (size) std::memcpy(padded.data(), data, size);
  static const char kGarbage[] = "\"{}[]:,\\ \x01\x80\n1e";
  for (size_t k = 0; k < srs::kFastPadding; ++k) padded[size + k] = kGarbage[k % (sizeof kGarbage - 1)];
  flb = false;
  if (srs::fast_accept_json_object_padded(padded.data(), size, &flb)) {
    FUZZ_CHECK(ref, "padded fast path accepts what the reference refuses (%s): `%s`", why.c_str(), show(row).c_str());
    FUZZ_CHECK(flb == ref_lb, "padded fast path line_break on `%s`", show(row).c_str());
  }
  std::vector<srs::KeyBlocks::Block> blocks(size / 64 + 2);
  srs::KeyBlocks kb{blocks.data(), blocks.size(), 0, 0};
  flb = false;
  if (srs::fast_accept_json_object_keys(padded.data(), size, &flb, &kb)) {
    FUZZ_CHECK(ref, "keyed fast path accepts what the reference refuses: `%s`", show(row).c_str());
    std::vector<srs::TopLevelKeys::Key> keys(kb.keys + 1);
    srs::TopLevelKeys tk{keys.data(), keys.size(), 0, false};
    bool lb3 = false;
    FUZZ_CHECK(srs::validate_json_object_reference(row, nullptr, &lb3, &tk), "keys: reference");
    FUZZ_CHECK(tk.n == kb.keys && !tk.more, "fast path counts %zu keys, reference %zu on `%s`", kb.keys, tk.n,
               show(row).c_str());
    size_t k = 0;
    for (size_t b = 0; b < kb.n; ++b) {
      for (uint64_t m = blocks[b].keys; m; m &= m - 1, ++k) {
        const size_t quote = blocks[b].offset + static_cast<size_t>(__builtin_ctzll(m));
        FUZZ_CHECK(k < tk.n && tk.at[k].text == quote + 1, "key %zu position differs on `%s`", k, show(row).c_str());
      }
    }
  }

  // RowCheck with the row's own top-level keys as columns (the first as key column), then with
  // a fixed pair: never a crash; kNotJson exactly when the row is not valid JSON.
  std::vector<srs::TopLevelKeys::Key> keys(64);
  srs::TopLevelKeys tk{keys.data(), keys.size(), 0, false};
  std::vector<std::string> cols;
  bool lb4 = false;
  if (srs::validate_json_object_reference(row, nullptr, &lb4, &tk)) {
    for (size_t k = 0; k < tk.n; ++k) {
      std::string name(row.substr(tk.at[k].text, tk.at[k].len));
      if (!tk.at[k].escaped && !name.empty() && name != "__op" &&
          std::find(cols.begin(), cols.end(), name) == cols.end())
        cols.push_back(name);
    }
  }
  if (cols.empty()) cols = {"id", "name"};
  srs::RowCheck rc(cols, {cols[0]});
  srs::RowCheck fixed({"id", "name", "a"}, {"id"});
  for (srs::RowCheck* c : {&rc, &fixed}) {
    for (int pass = 0; pass < 2; ++pass) {  // the second pass takes the remembered key order
      std::string w;
      bool lb5 = false;
      const auto v = c->check(std::string_view(padded.data(), size), &lb5, &w);
      FUZZ_CHECK((v == srs::RowCheck::Verdict::kNotJson) == !ref, "RowCheck verdict %d, reference %d on `%s`",
                 static_cast<int>(v), ref, show(row).c_str());
      if (v != srs::RowCheck::Verdict::kOk) FUZZ_CHECK(!w.empty(), "RowCheck refusal without a reason");
    }
  }
  return 0;
}
