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
#include <cstdint>

namespace srs {

// Where the top-level keys of an accepted row start, as bit masks: for each 64-byte block of the
// row that holds keys, its offset and a mask whose bit i marks the opening quote of a key at
// offset + i (keys in row order: blocks in order, bits from low to high). The caller provides
// room for `cap` blocks; a row whose keys fall into more blocks is not accepted (a sink's rows
// have at most as many keys as it has columns, so more means a bad row, which the reference path
// then explains). One store per block rather than one per key keeps the kernel's cost flat.
struct KeyBlocks {
  struct Block {
    uint64_t keys;
    uint32_t offset;
  };
  Block* at;
  size_t cap;
  size_t n;
  size_t keys;  // how many keys in all
};

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
// The padded form that also reports where the top-level keys are (on true; keys in the fast path
// never hold an escape, so each key's text runs from after its quote to the next '"'). Rows of
// 4 GiB or more are never accepted here.
bool fast_accept_json_object_keys(const char* row, size_t n, bool* line_break, KeyBlocks* keys);

// The implementation chosen for this CPU at first use: "avx2", or "none" (no AVX2 build, or a
// CPU without AVX2: every row goes to the reference).
const char* fast_path_name();

namespace fast_path {
using Fn = bool (*)(const char* row, size_t n, bool* line_break, bool padded, KeyBlocks* keys);
// The AVX2 implementation, for tests; nullptr when it is not built or this CPU lacks it.
// `padded` selects fast_accept_json_object_padded's contract; `keys` (only with padded; may be
// null) fast_accept_json_object_keys'.
Fn avx2();
// Defined by json_fast_avx2.cpp: its kernel, or nullptr if the compiler could not build it.
extern const Fn kAvx2Kernel;
}  // namespace fast_path

}  // namespace srs
