// A reader of the Arrow C Data Interface structs (no Arrow library): import_arrow_batch checks an
// ArrowSchema/ArrowArray pair defensively (format strings parsed strictly, buffer and child
// counts, lengths, offsets monotonic and inside their child, dictionary indexes in range) and
// returns a tree of typed views into the host's buffers. Nothing is copied; the views live as
// long as the host's arrays (until sr_sink_write_arrow releases them).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sr_sink.h"
#include "status.h"

namespace srs {

enum class ArrowType {
  kNull, kBool,
  kInt8, kInt16, kInt32, kInt64, kUInt8, kUInt16, kUInt32, kUInt64,
  kFloat16, kFloat32, kFloat64,
  kDecimal,     // width_bits 32/64/128/256, precision, scale
  kDate32, kDate64,
  kTimestamp,   // unit_per_s, has_tz
  kTime32, kTime64,  // unit_per_s
  kUtf8, kLargeUtf8, kUtf8View,
  kBinary, kLargeBinary, kBinaryView, kFixedBinary,  // fixed: fixed_size bytes
  kList, kLargeList, kFixedList,  // fixed: fixed_size elements
  kStruct, kMap,
};

struct ArrowNode {
  ArrowType type = ArrowType::kNull;
  std::string format;  // as the schema gave it, for messages
  std::string name;
  int64_t length = 0, offset = 0;
  const uint8_t* validity = nullptr;  // null: no nulls
  const void* values = nullptr;       // fixed-width values, or the views of kUtf8View/kBinaryView
  const void* offsets = nullptr;      // int32/int64 offsets of var-length and list types
  const char* data = nullptr;         // bytes of var-length types
  const char* const* view_data = nullptr;  // the variadic data buffers of view types
  int64_t n_view_data = 0;
  int32_t precision = 0, scale = 0, width_bits = 0;
  int64_t fixed_size = 0;
  int64_t unit_per_s = 1;
  bool has_tz = false;
  std::vector<ArrowNode> children;
  // Dictionary encoding: this node holds the integer indexes (type kInt*/kUInt*) and `dictionary`
  // the values.
  std::unique_ptr<ArrowNode> dictionary;

  bool is_null(int64_t physical) const {
    return validity && !((validity[physical >> 3] >> (physical & 7)) & 1);
  }
};

// The record batch: a struct ("+s") whose fields are the columns. Top-level nulls are refused.
// Errors are SR_SINK_E_INVALID_ARGUMENT naming the field ("field `price` (format "tsz:"): ...").
Result<ArrowNode> import_arrow_batch(const ArrowSchema& schema, const ArrowArray& array);

// The dictionary index at physical position p of a dictionary-encoded node (checked in range by
// import_arrow_batch for non-null entries).
int64_t arrow_dictionary_index(const ArrowNode& n, int64_t physical);

}  // namespace srs
