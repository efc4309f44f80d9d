// Format strings: https://arrow.apache.org/docs/format/CDataInterface.html#data-type-description-format-strings
#include "arrow_import.h"

#include <cstring>
#include <string_view>

namespace srs {
namespace {

constexpr int kMaxDepth = 64;  // nested types deeper than this are refused (no stack exhaustion)

Status bad(const std::string& path, const std::string& format, const std::string& why) {
  return Status::Error(SR_SINK_E_INVALID_ARGUMENT,
                       "field `" + path + "` (format \"" + format + "\"): " + why);
}

bool parse_int(std::string_view s, int64_t lo, int64_t hi, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  bool neg = false;
  size_t i = 0;
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  if (neg) v = -v;
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

// Parses the format string into node's type fields. `n_children` is the schema's.
Status parse_format(const std::string& f, const std::string& path, ArrowNode* n) {
  static const struct {
    const char* fmt;
    ArrowType type;
  } kSimple[] = {
      {"n", ArrowType::kNull},      {"b", ArrowType::kBool},       {"c", ArrowType::kInt8},
      {"C", ArrowType::kUInt8},     {"s", ArrowType::kInt16},      {"S", ArrowType::kUInt16},
      {"i", ArrowType::kInt32},     {"I", ArrowType::kUInt32},     {"l", ArrowType::kInt64},
      {"L", ArrowType::kUInt64},    {"e", ArrowType::kFloat16},    {"f", ArrowType::kFloat32},
      {"g", ArrowType::kFloat64},   {"u", ArrowType::kUtf8},       {"U", ArrowType::kLargeUtf8},
      {"vu", ArrowType::kUtf8View}, {"z", ArrowType::kBinary},     {"Z", ArrowType::kLargeBinary},
      {"vz", ArrowType::kBinaryView}, {"tdD", ArrowType::kDate32}, {"tdm", ArrowType::kDate64},
      {"+l", ArrowType::kList},     {"+L", ArrowType::kLargeList}, {"+s", ArrowType::kStruct},
      {"+m", ArrowType::kMap},
  };
  for (const auto& s : kSimple) {
    if (f == s.fmt) {
      n->type = s.type;
      return Status::OK();
    }
  }
  const std::string_view v(f);
  auto unit = [&](char c) -> int64_t {
    switch (c) {
      case 's': return 1;
      case 'm': return 1000;
      case 'u': return 1000000;
      case 'n': return 1000000000;
      default: return 0;
    }
  };
  if (v.size() == 3 && v.substr(0, 2) == "tt") {  // time32 s/ms, time64 us/ns
    n->unit_per_s = unit(v[2]);
    if (n->unit_per_s == 0) return bad(path, f, "unknown time unit");
    n->type = n->unit_per_s <= 1000 ? ArrowType::kTime32 : ArrowType::kTime64;
    return Status::OK();
  }
  if (v.size() >= 4 && v.substr(0, 2) == "ts" && v[3] == ':') {  // timestamp, optional zone
    n->unit_per_s = unit(v[2]);
    if (n->unit_per_s == 0) return bad(path, f, "unknown timestamp unit");
    n->type = ArrowType::kTimestamp;
    n->has_tz = v.size() > 4;
    return Status::OK();
  }
  if (v.size() > 2 && v.substr(0, 2) == "d:") {  // decimal: d:precision,scale[,bitwidth]
    std::string_view rest = v.substr(2);
    const size_t c1 = rest.find(',');
    if (c1 == std::string_view::npos) return bad(path, f, "decimal needs precision,scale");
    const size_t c2 = rest.find(',', c1 + 1);
    int64_t p, s, w = 128;
    if (!parse_int(rest.substr(0, c1), 1, 76, &p) ||
        !parse_int(rest.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1),
                   -1000, 1000, &s) ||
        (c2 != std::string_view::npos && !parse_int(rest.substr(c2 + 1), 32, 256, &w)) ||
        (w != 32 && w != 64 && w != 128 && w != 256)) {
      return bad(path, f, "malformed decimal format");
    }
    n->type = ArrowType::kDecimal;
    n->precision = static_cast<int32_t>(p);
    n->scale = static_cast<int32_t>(s);
    n->width_bits = static_cast<int32_t>(w);
    return Status::OK();
  }
  if (v.size() > 2 && v.substr(0, 2) == "w:") {
    if (!parse_int(v.substr(2), 0, int64_t{1} << 31, &n->fixed_size)) return bad(path, f, "malformed fixed size");
    n->type = ArrowType::kFixedBinary;
    return Status::OK();
  }
  if (v.size() > 3 && v.substr(0, 3) == "+w:") {
    if (!parse_int(v.substr(3), 0, int64_t{1} << 31, &n->fixed_size)) return bad(path, f, "malformed list size");
    n->type = ArrowType::kFixedList;
    return Status::OK();
  }
  return bad(path, f, "this Arrow type is not supported (supported: integers, floats, decimals, "
                      "bool, dates, times, timestamps, strings, binaries, dictionaries, lists, "
                      "structs, maps)");
}

bool is_integer(ArrowType t) { return t >= ArrowType::kInt8 && t <= ArrowType::kUInt64; }

int64_t fixed_width_bits(const ArrowNode& n) {
  switch (n.type) {
    case ArrowType::kBool: return 1;
    case ArrowType::kInt8: case ArrowType::kUInt8: return 8;
    case ArrowType::kInt16: case ArrowType::kUInt16: case ArrowType::kFloat16: return 16;
    case ArrowType::kInt32: case ArrowType::kUInt32: case ArrowType::kFloat32:
    case ArrowType::kDate32: return 32;
    case ArrowType::kInt64: case ArrowType::kUInt64: case ArrowType::kFloat64:
    case ArrowType::kDate64: case ArrowType::kTimestamp: return 64;
    case ArrowType::kTime32: return 32;
    case ArrowType::kTime64: return 64;
    case ArrowType::kDecimal: return n.width_bits;
    default: return 0;
  }
}

int64_t read_index(const ArrowNode& n, int64_t p) {
  switch (n.type) {
    case ArrowType::kInt8: return static_cast<const int8_t*>(n.values)[p];
    case ArrowType::kUInt8: return static_cast<const uint8_t*>(n.values)[p];
    case ArrowType::kInt16: return static_cast<const int16_t*>(n.values)[p];
    case ArrowType::kUInt16: return static_cast<const uint16_t*>(n.values)[p];
    case ArrowType::kInt32: return static_cast<const int32_t*>(n.values)[p];
    case ArrowType::kUInt32: return static_cast<const uint32_t*>(n.values)[p];
    case ArrowType::kInt64: return static_cast<const int64_t*>(n.values)[p];
    default: {
      const uint64_t u = static_cast<const uint64_t*>(n.values)[p];
      return u > static_cast<uint64_t>(INT64_MAX) ? -1 : static_cast<int64_t>(u);
    }
  }
}

Status import_node(const ArrowSchema& s, const ArrowArray& a, const std::string& path, int depth,
                   ArrowNode* n);

// Offsets [offset, offset+length] of a var-length or list node: monotonic, from >= 0, and (when
// `limit` >= 0) ending within it.
template <typename O>
Status check_offsets(const ArrowNode& n, const std::string& path, int64_t limit) {
  if (n.length == 0) return Status::OK();
  const O* o = static_cast<const O*>(n.offsets);
  if (o[n.offset] < 0) return bad(path, n.format, "negative offset");
  for (int64_t i = n.offset; i < n.offset + n.length; ++i) {
    if (o[i + 1] < o[i]) {
      return bad(path, n.format, "offsets decrease at index " + std::to_string(i - n.offset));
    }
  }
  if (limit >= 0 && static_cast<int64_t>(o[n.offset + n.length]) > limit) {
    return bad(path, n.format, "offsets reach past the child array's length");
  }
  return Status::OK();
}

Status import_node(const ArrowSchema& s, const ArrowArray& a, const std::string& path, int depth,
                   ArrowNode* n) {
  if (depth > kMaxDepth) return bad(path, s.format ? s.format : "", "nested deeper than 64 levels");
  if (!s.format) return bad(path, "", "the schema has no format string");
  n->format = s.format;
  n->name = s.name ? s.name : "";
  if (a.length < 0 || a.offset < 0 || a.null_count < -1 || a.n_buffers < 0 || a.n_children < 0 ||
      a.length > (int64_t{1} << 40) || a.offset > (int64_t{1} << 40)) {
    return bad(path, n->format, "negative or implausible length, offset, null_count or counts");
  }
  n->length = a.length;
  n->offset = a.offset;
  if (s.n_children != a.n_children) {
    return bad(path, n->format, "the schema has " + std::to_string(s.n_children) +
                                     " children but the array " + std::to_string(a.n_children));
  }
  if ((s.n_children > 0 && !s.children) || (a.n_children > 0 && !a.children)) {
    return bad(path, n->format, "children pointer is NULL");
  }
  if (a.n_buffers > 0 && !a.buffers) return bad(path, n->format, "buffers pointer is NULL");
  if ((s.dictionary != nullptr) != (a.dictionary != nullptr)) {
    return bad(path, n->format, "schema and array disagree on dictionary encoding");
  }
  SRS_RETURN_IF_ERROR(parse_format(n->format, path, n));
  const ArrowType t = n->type;
  const int64_t end = a.offset + a.length;  // physical rows used

  // Expected buffers and children per layout.
  int64_t want_buffers = 2, want_children = 0;
  switch (t) {
    case ArrowType::kNull: want_buffers = 0; break;
    case ArrowType::kUtf8: case ArrowType::kLargeUtf8: case ArrowType::kBinary:
    case ArrowType::kLargeBinary: want_buffers = 3; break;
    case ArrowType::kUtf8View: case ArrowType::kBinaryView: want_buffers = -1; break;
    case ArrowType::kList: case ArrowType::kLargeList: case ArrowType::kMap: want_children = 1; break;
    case ArrowType::kFixedList: want_buffers = 1; want_children = 1; break;
    case ArrowType::kStruct: want_buffers = 1; want_children = -1; break;
    default: break;
  }
  if (want_buffers >= 0 && a.n_buffers != want_buffers) {
    return bad(path, n->format, "expected " + std::to_string(want_buffers) + " buffers, got " +
                                     std::to_string(a.n_buffers));
  }
  if (want_buffers < 0 && a.n_buffers < 3) {
    return bad(path, n->format, "a view array needs at least 3 buffers, got " + std::to_string(a.n_buffers));
  }
  if (want_children >= 0 && a.n_children != want_children) {
    return bad(path, n->format, "expected " + std::to_string(want_children) + " children, got " +
                                     std::to_string(a.n_children));
  }
  if (t != ArrowType::kNull && a.n_buffers > 0) {
    n->validity = static_cast<const uint8_t*>(a.buffers[0]);
    if (!n->validity && a.null_count != 0) {
      return bad(path, n->format, "null_count is " + std::to_string(a.null_count) +
                                       " but there is no validity bitmap");
    }
  }
  auto need = [&](int64_t i, const char* what) -> Status {
    if (a.length > 0 && !a.buffers[i]) return bad(path, n->format, std::string(what) + " buffer is NULL");
    return Status::OK();
  };

  if (fixed_width_bits(*n) > 0 || t == ArrowType::kFixedBinary) {
    SRS_RETURN_IF_ERROR(need(1, "values"));
    n->values = a.buffers[1];
  }
  switch (t) {
    case ArrowType::kUtf8: case ArrowType::kBinary:
    case ArrowType::kLargeUtf8: case ArrowType::kLargeBinary: {
      SRS_RETURN_IF_ERROR(need(1, "offsets"));
      SRS_RETURN_IF_ERROR(need(2, "data"));
      n->offsets = a.buffers[1];
      n->data = static_cast<const char*>(a.buffers[2]);
      const bool large = t == ArrowType::kLargeUtf8 || t == ArrowType::kLargeBinary;
      SRS_RETURN_IF_ERROR(large ? check_offsets<int64_t>(*n, path, -1) : check_offsets<int32_t>(*n, path, -1));
      break;
    }
    case ArrowType::kUtf8View: case ArrowType::kBinaryView: {
      SRS_RETURN_IF_ERROR(need(1, "views"));
      n->values = a.buffers[1];
      n->n_view_data = a.n_buffers - 3;  // validity, views, data..., variadic sizes
      n->view_data = reinterpret_cast<const char* const*>(a.buffers + 2);
      const int64_t* sizes = static_cast<const int64_t*>(a.buffers[a.n_buffers - 1]);
      for (int64_t i = 0; i < n->n_view_data; ++i) {
        if (!n->view_data[i]) return bad(path, n->format, "a view data buffer is NULL");
      }
      // The spec makes the sizes buffer mandatory; without it no view could be bounds-checked.
      if (n->n_view_data > 0 && !sizes) {
        return bad(path, n->format, "the variadic buffer sizes (last buffer) is NULL");
      }
      // Each view: int32 length, then 12 inline bytes, or a 4-byte prefix, buffer index, offset.
      const unsigned char* v = static_cast<const unsigned char*>(n->values);
      for (int64_t i = a.offset; i < end && a.length > 0; ++i) {
        if (n->is_null(i)) continue;
        int32_t len, buf, off;
        std::memcpy(&len, v + 16 * i, 4);
        if (len < 0) return bad(path, n->format, "negative view length at index " + std::to_string(i - a.offset));
        if (len <= 12) continue;
        std::memcpy(&buf, v + 16 * i + 8, 4);
        std::memcpy(&off, v + 16 * i + 12, 4);
        if (buf < 0 || buf >= n->n_view_data || off < 0 ||
            static_cast<int64_t>(off) + len > sizes[buf]) {
          return bad(path, n->format, "view at index " + std::to_string(i - a.offset) +
                                           " points outside its data buffers");
        }
      }
      break;
    }
    case ArrowType::kList: case ArrowType::kLargeList: case ArrowType::kMap: {
      SRS_RETURN_IF_ERROR(need(1, "offsets"));
      n->offsets = a.buffers[1];
      break;
    }
    default: break;
  }

  // Children.
  if (a.n_children > 0) {
    n->children.resize(static_cast<size_t>(a.n_children));
    for (int64_t i = 0; i < a.n_children; ++i) {
      const ArrowSchema* cs = s.children[i];
      const ArrowArray* ca = a.children[i];
      if (!cs || !ca) return bad(path, n->format, "child " + std::to_string(i) + " is NULL");
      const std::string field = cs->name ? cs->name : "";
      const std::string child_path = t != ArrowType::kStruct ? path + "[]"
                                     : path.empty()          ? field
                                                             : path + "." + field;
      SRS_RETURN_IF_ERROR(import_node(*cs, *ca, child_path, depth + 1, &n->children[i]));
    }
  }
  switch (t) {
    case ArrowType::kList: case ArrowType::kMap:
      SRS_RETURN_IF_ERROR(check_offsets<int32_t>(*n, path, n->children[0].length));
      break;
    case ArrowType::kLargeList:
      SRS_RETURN_IF_ERROR(check_offsets<int64_t>(*n, path, n->children[0].length));
      break;
    case ArrowType::kFixedList:
      if (n->children[0].length < end * n->fixed_size) {
        return bad(path, n->format, "the child array is shorter than length x list size");
      }
      break;
    case ArrowType::kStruct:
      for (const ArrowNode& c : n->children) {
        if (c.length < end) return bad(path, n->format, "child `" + c.name + "` is shorter than the struct");
      }
      break;
    default: break;
  }
  if (t == ArrowType::kMap) {
    const ArrowNode& e = n->children[0];
    if (e.type != ArrowType::kStruct || e.children.size() != 2) {
      return bad(path, n->format, "map entries must be a struct of key and value");
    }
  }

  if (s.dictionary) {
    if (!is_integer(t)) return bad(path, n->format, "dictionary indexes must be integers");
    n->dictionary = std::make_unique<ArrowNode>();
    SRS_RETURN_IF_ERROR(import_node(*s.dictionary, *a.dictionary, path, depth + 1, n->dictionary.get()));
    for (int64_t i = a.offset; i < end; ++i) {
      if (n->is_null(i)) continue;
      const int64_t k = read_index(*n, i);
      if (k < 0 || k >= n->dictionary->length) {
        return bad(path, n->format, "dictionary index " + std::to_string(k) + " at index " +
                                         std::to_string(i - a.offset) + " is outside the dictionary (" +
                                         std::to_string(n->dictionary->length) + " values)");
      }
    }
  }
  return Status::OK();
}

}  // namespace

int64_t arrow_dictionary_index(const ArrowNode& n, int64_t physical) { return read_index(n, physical); }

Result<ArrowNode> import_arrow_batch(const ArrowSchema& schema, const ArrowArray& array) {
  if (!schema.format || std::strcmp(schema.format, "+s") != 0) {
    return Status::Error(SR_SINK_E_INVALID_ARGUMENT,
                         std::string("the schema must be a struct (format \"+s\") of the columns, got \"") +
                             (schema.format ? schema.format : "(null)") + "\"");
  }
  ArrowNode root;
  SRS_RETURN_IF_ERROR(import_node(schema, array, "", 0, &root));
  if (array.null_count != 0 && root.validity) {
    for (int64_t i = 0; i < root.length; ++i) {
      if (root.is_null(root.offset + i)) {
        return Status::Error(SR_SINK_E_INVALID_ARGUMENT,
                             "the record batch has a null row at index " + std::to_string(i) +
                                 " (a record batch's top level has no nulls)");
      }
    }
  }
  return root;
}

}  // namespace srs
