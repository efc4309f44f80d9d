// The SIMD fast path of the row validator.
//
// Most rows a stream engine writes are one flat JSON object: keys mapped to strings, numbers,
// true/false/null. For those, fast_accept_json_object decides validity 64 bytes at a time with
// bit masks (in the manner of simdjson's stage 1: quotes, escapes and string interiors as masks;
// then the grammar of a flat object as prefix parities over those masks; only numbers and
// literals are looked at one by one). It only ever *accepts*: when it says no, the row is either
// invalid or outside the fast path (nested objects or arrays, the empty object, a \u escape of a
// surrogate, a key holding an escape), and validate_json_object's reference recogniser decides
// and explains.
// So the two together accept exactly what the reference accepts; tests/unit/json_fast_test.cpp
// checks that differentially on millions of generated and mutated rows.
#pragma once
#include <cstddef>

namespace srs {

// True only if `row` is exactly one valid JSON object without a top-level "__op" key, i.e. one
// the reference validator accepts; then *line_break is set as the reference sets it (a raw '\n'
// or '\r' is present, in whitespace). False: not accepted here (see above). No allocation.
// Thread-safe.
bool fast_accept_json_object(const char* row, size_t n, bool* line_break);
// The same for a row followed by at least kFastPadding readable bytes (a buffer with slack; their
// content, initialised or not, never decides anything and is not changed): saves copying the
// row's last block.
constexpr size_t kFastPadding = 64;
bool fast_accept_json_object_padded(const char* row, size_t n, bool* line_break);

// The implementation chosen for this CPU at first use: "avx2", or "none" (no AVX2 build, or a
// CPU without AVX2: every row goes to the reference).
const char* fast_path_name();

namespace fast_path {
using Fn = bool (*)(const char* row, size_t n, bool* line_break, bool padded);
// The AVX2 implementation, for tests; nullptr when it is not built or this CPU lacks it.
// `padded` selects fast_accept_json_object_padded's contract.
Fn avx2();
// Defined by json_fast_avx2.cpp: its kernel, or nullptr if the compiler could not build it.
extern const Fn kAvx2Kernel;
}  // namespace fast_path

}  // namespace srs
