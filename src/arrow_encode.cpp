#include "arrow_encode.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

#include "json_lex.h"
#include "time_text.h"
#include "wire_format.h"

namespace srs {
namespace {

// A value error, worded without the column and row (the caller adds them).
struct ValueError {
  std::string what;
};

template <typename T>
T load(const void* base, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char*>(base) + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

template <typename T>
void append_int(std::string* out, T v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, static_cast<size_t>(r.ptr - buf));
}

float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  float f;
  if (exp == 0) {
    f = std::ldexp(static_cast<float>(mant), -24);
  } else if (exp == 31) {
    f = mant ? NAN : INFINITY;
  } else {
    f = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -f : f;
}

template <typename F>
bool append_float(std::string* out, F v) {
  if (!std::isfinite(v)) return false;
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  out->append(buf, static_cast<size_t>(r.ptr - buf));
  return true;
}

// |v| digits with the decimal point `scale` digits from the right (scale <= 0: zeros appended).
void append_scaled(std::string* out, bool neg, const char* digits_lsb_first, int nd, int scale);

}  // namespace

// Two's-complement little-endian integer of `bits` → exact decimal text with `scale`.
void arrow_append_decimal(std::string* out, const unsigned char* p, int bits, int scale) {
  const int n = bits / 32;
  uint32_t limb[8];
  std::memcpy(limb, p, static_cast<size_t>(bits / 8));
  {  // Most values fit in 64 bits: the upper words only repeat the sign.
    uint64_t lo;
    std::memcpy(&lo, limb, 8);
    const uint32_t ext = (bits == 32 ? (limb[0] >> 31) : (limb[1] >> 31)) ? 0xFFFFFFFFu : 0;
    bool fits = bits <= 64;
    if (!fits) {
      fits = true;
      for (int i = 2; i < n; ++i) fits = fits && limb[i] == ext;
    }
    if (fits) {
      int64_t v = bits == 32 ? static_cast<int32_t>(limb[0]) : static_cast<int64_t>(lo);
      const bool neg = v < 0;
      uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
      char digits[24];
      int nd = 0;
      do {
        digits[nd++] = static_cast<char>('0' + mag % 10);
        mag /= 10;
      } while (mag);
      append_scaled(out, neg, digits, nd, scale);
      return;
    }
  }
  const bool neg = (limb[n - 1] >> 31) & 1;
  if (neg) {  // magnitude = ~x + 1
    uint64_t carry = 1;
    for (int i = 0; i < n; ++i) {
      const uint64_t v = uint64_t{static_cast<uint32_t>(~limb[i])} + carry;
      limb[i] = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
  }
  char digits[90];
  int nd = 0;
  int top = n;
  while (top > 0 && limb[top - 1] == 0) --top;
  while (top > 0) {  // divide by 1e9, collect 9 digits at a time
    uint64_t rem = 0;
    for (int i = top - 1; i >= 0; --i) {
      const uint64_t cur = (rem << 32) | limb[i];
      limb[i] = static_cast<uint32_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (top > 0 && limb[top - 1] == 0) --top;
    for (int k = 0; k < 9 && (top > 0 || rem > 0 || k == 0); ++k) {
      digits[nd++] = static_cast<char>('0' + rem % 10);
      rem /= 10;
      if (top == 0 && rem == 0) break;
    }
  }
  if (nd == 0) digits[nd++] = '0';
  append_scaled(out, neg, digits, nd, scale);
}

namespace {

void append_scaled(std::string* out, bool neg, const char* digits, int nd, int scale) {
  if (neg) out->push_back('-');
  if (scale <= 0) {
    for (int i = nd - 1; i >= 0; --i) out->push_back(digits[i]);
    if (!(nd == 1 && digits[0] == '0')) out->append(static_cast<size_t>(-scale), '0');
    return;
  }
  if (nd <= scale) {
    out->append("0.");
    out->append(static_cast<size_t>(scale - nd), '0');
    for (int i = nd - 1; i >= 0; --i) out->push_back(digits[i]);
    return;
  }
  for (int i = nd - 1; i >= scale; --i) out->push_back(digits[i]);
  out->push_back('.');
  for (int i = scale - 1; i >= 0; --i) out->push_back(digits[i]);
}

bool valid_utf8(std::string_view s) {
  const u8* p = reinterpret_cast<const u8*>(s.data());
  const u8* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const size_t n = utf8_sequence(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

// JSON string of valid UTF-8 `s`.
void append_json_string(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: {
        const char e[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(e, 6);
      }
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

std::string_view bytes_at(const ArrowNode& n, int64_t p) {
  switch (n.type) {
    case ArrowType::kUtf8: case ArrowType::kBinary: {
      const int32_t b = load<int32_t>(n.offsets, p), e = load<int32_t>(n.offsets, p + 1);
      return std::string_view(n.data + b, static_cast<size_t>(e - b));
    }
    case ArrowType::kLargeUtf8: case ArrowType::kLargeBinary: {
      const int64_t b = load<int64_t>(n.offsets, p), e = load<int64_t>(n.offsets, p + 1);
      return std::string_view(n.data + b, static_cast<size_t>(e - b));
    }
    case ArrowType::kFixedBinary:
      return std::string_view(static_cast<const char*>(n.values) + p * n.fixed_size,
                              static_cast<size_t>(n.fixed_size));
    default: {  // views
      const char* v = static_cast<const char*>(n.values) + 16 * p;
      int32_t len, buf, off;
      std::memcpy(&len, v, 4);
      if (len <= 12) return std::string_view(v + 4, static_cast<size_t>(len));
      std::memcpy(&buf, v + 8, 4);
      std::memcpy(&off, v + 12, 4);
      return std::string_view(n.view_data[buf] + off, static_cast<size_t>(len));
    }
  }
}

bool is_text(ArrowType t) {
  return t == ArrowType::kUtf8 || t == ArrowType::kLargeUtf8 || t == ArrowType::kUtf8View;
}
bool is_bytes(ArrowType t) {
  return t == ArrowType::kBinary || t == ArrowType::kLargeBinary || t == ArrowType::kBinaryView ||
         t == ArrowType::kFixedBinary;
}
bool is_nested(ArrowType t) {
  return t == ArrowType::kList || t == ArrowType::kLargeList || t == ArrowType::kFixedList ||
         t == ArrowType::kStruct || t == ArrowType::kMap;
}

class Encoder {
 public:
  explicit Encoder(int32_t tz) : tz_(tz) {}

  // The value at logical index j of n as JSON. False with err_ set on a bad value.
  bool json(const ArrowNode& n, int64_t j, std::string* out) {
    const int64_t p = n.offset + j;
    if (n.type == ArrowType::kNull || n.is_null(p)) {
      out->append("null");
      return true;
    }
    if (n.dictionary) return json(*n.dictionary, arrow_dictionary_index(n, p), out);
    if (is_text(n.type) || is_bytes(n.type)) {
      const std::string_view s = bytes_at(n, p);
      if (!valid_utf8(s)) {
        err_ = is_text(n.type) ? "invalid UTF-8 in a string"
                               : "binary value is not valid UTF-8, which a JSON body cannot carry "
                                 "(StarRocks stores a JSON string's bytes; use format csv)";
        return false;
      }
      append_json_string(out, s);
      return true;
    }
    switch (n.type) {
      case ArrowType::kStruct: {
        out->push_back('{');
        for (size_t c = 0; c < n.children.size(); ++c) {
          if (c) out->push_back(',');
          append_json_string(out, n.children[c].name);
          out->push_back(':');
          if (!json(n.children[c], p, out)) return false;
        }
        out->push_back('}');
        return true;
      }
      case ArrowType::kList: case ArrowType::kLargeList: case ArrowType::kFixedList: {
        int64_t b, e;
        range(n, p, &b, &e);
        out->push_back('[');
        for (int64_t k = b; k < e; ++k) {
          if (k > b) out->push_back(',');
          if (!json(n.children[0], k, out)) return false;
        }
        out->push_back(']');
        return true;
      }
      case ArrowType::kMap: {
        int64_t b, e;
        range(n, p, &b, &e);
        const ArrowNode& entries = n.children[0];
        const ArrowNode& keys = entries.children[0];
        const ArrowNode& values = entries.children[1];
        out->push_back('{');
        for (int64_t k = b; k < e; ++k) {
          if (k > b) out->push_back(',');
          // JSON object keys are strings: a key's text (StarRocks converts it to the MAP's key type).
          const int64_t kp = entries.offset + k;
          if (keys.is_null(keys.offset + kp)) {
            err_ = "a map key is null";
            return false;
          }
          std::string key;  // not tmp_: csv() may be writing this very JSON into tmp_
          bool quoted;
          if (!scalar(keys, kp, &key, &quoted)) return false;
          if (quoted) out->append(key);
          else append_json_string(out, key);
          out->push_back(':');
          if (!json(values, kp, out)) return false;
        }
        out->push_back('}');
        return true;
      }
      default: {
        bool quoted;
        return scalar(n, j, out, &quoted);
      }
    }
  }

  // The value as a CSV field for a column of `kind`.
  bool csv(const ArrowNode& n, int64_t j, CsvKind kind, std::string* out) {
    const int64_t p = n.offset + j;
    if (n.type == ArrowType::kNull || n.is_null(p)) {
      csv_append_null(out);
      return true;
    }
    if (n.dictionary) return csv(*n.dictionary, arrow_dictionary_index(n, p), kind, out);
    if (kind == CsvKind::kJson || is_nested(n.type)) {
      return json(n, j, out);  // JSON text escapes control bytes: no separator inside
    }
    if (is_text(n.type) || is_bytes(n.type)) {
      const std::string_view s = bytes_at(n, p);
      if (kind == CsvKind::kBinary) {
        csv_append_base64(out, s);
        return true;
      }
      if (!valid_utf8(s)) {
        err_ = is_text(n.type) ? "invalid UTF-8 in a string"
                               : "binary value is not valid UTF-8 (StarRocks refuses such CSV rows "
                                 "unless the column is VARBINARY)";
        return false;
      }
      if (CsvText t = csv_append_text(out, s); t != CsvText::kOk) {
        err_ = csv_refusal(t);
        return false;
      }
      return true;
    }
    if (n.type == ArrowType::kBool) {
      // As StarRocks' JSON reader gives a boolean to a text column: 1/0.
      if (kind == CsvKind::kBinary) csv_append_base64(out, bit(n, p) ? "1" : "0");
      else out->push_back(bit(n, p) ? '1' : '0');
      return true;
    }
    bool quoted;  // dates and times: their text (no special bytes) without JSON quotes
    if (kind == CsvKind::kBinary) {  // VARBINARY reads CSV fields as base64: the text's bytes
      tmp_.clear();
      if (!scalar(n, j, &tmp_, &quoted, false)) return false;
      csv_append_base64(out, tmp_);
      return true;
    }
    return scalar(n, j, out, &quoted, /*quote=*/false);
  }

  const std::string& error() const { return err_; }

 private:
  static bool bit(const ArrowNode& n, int64_t p) {
    return (static_cast<const uint8_t*>(n.values)[p >> 3] >> (p & 7)) & 1;
  }
  static void range(const ArrowNode& n, int64_t p, int64_t* b, int64_t* e) {
    if (n.type == ArrowType::kFixedList) {
      *b = p * n.fixed_size;
      *e = *b + n.fixed_size;
    } else if (n.type == ArrowType::kLargeList) {
      *b = load<int64_t>(n.offsets, p);
      *e = load<int64_t>(n.offsets, p + 1);
    } else {
      *b = load<int32_t>(n.offsets, p);
      *e = load<int32_t>(n.offsets, p + 1);
    }
  }

  // A non-null scalar (numbers, bool, decimal, dates, times; strings for map keys) as JSON text;
  // *quoted says whether it is a JSON string.
  bool scalar(const ArrowNode& n, int64_t j, std::string* out, bool* quoted, bool quote = true) {
    const int64_t p = n.offset + j;
    *quoted = false;
    if (n.dictionary) return scalar(*n.dictionary, arrow_dictionary_index(n, p), out, quoted, quote);
    if (is_text(n.type) || is_bytes(n.type) || is_nested(n.type)) {
      *quoted = is_text(n.type) || is_bytes(n.type);
      return json(n, j, out);
    }
    switch (n.type) {
      case ArrowType::kBool: out->append(bit(n, p) ? "true" : "false"); return true;
      case ArrowType::kInt8: append_int(out, load<int8_t>(n.values, p)); return true;
      case ArrowType::kInt16: append_int(out, load<int16_t>(n.values, p)); return true;
      case ArrowType::kInt32: append_int(out, load<int32_t>(n.values, p)); return true;
      case ArrowType::kInt64: append_int(out, load<int64_t>(n.values, p)); return true;
      case ArrowType::kUInt8: append_int(out, load<uint8_t>(n.values, p)); return true;
      case ArrowType::kUInt16: append_int(out, load<uint16_t>(n.values, p)); return true;
      case ArrowType::kUInt32: append_int(out, load<uint32_t>(n.values, p)); return true;
      case ArrowType::kUInt64: append_int(out, load<uint64_t>(n.values, p)); return true;
      case ArrowType::kFloat16:
        if (append_float(out, half_to_float(load<uint16_t>(n.values, p)))) return true;
        return not_finite();
      case ArrowType::kFloat32:
        if (append_float(out, load<float>(n.values, p))) return true;
        return not_finite();
      case ArrowType::kFloat64:
        if (append_float(out, load<double>(n.values, p))) return true;
        return not_finite();
      case ArrowType::kDecimal:
        arrow_append_decimal(out, static_cast<const unsigned char*>(n.values) + p * (n.width_bits / 8),
                       n.width_bits, n.scale);
        return true;
      case ArrowType::kDate32: return date(out, load<int32_t>(n.values, p), quoted, quote);
      case ArrowType::kDate64: {
        const int64_t ms = load<int64_t>(n.values, p);
        return date(out, ms / 86400000 - (ms % 86400000 < 0), quoted, quote);
      }
      case ArrowType::kTimestamp: {
        const int64_t v = load<int64_t>(n.values, p);
        int64_t s = v / n.unit_per_s, f = v % n.unit_per_s;
        if (f < 0) {
          f += n.unit_per_s;
          --s;
        }
        // With a zone the value is an instant: shown as wall time in the sink's `timezone`.
        if (n.has_tz && __builtin_add_overflow(s, int64_t{tz_}, &s)) return out_of_range("timestamp", v);
        const int32_t micros = static_cast<int32_t>(n.unit_per_s >= 1000000 ? f / (n.unit_per_s / 1000000)
                                                                            : f * (1000000 / n.unit_per_s));
        *quoted = true;
        if (quote) out->push_back('"');
        if (!append_datetime(out, s, micros)) return out_of_range("timestamp", v);
        if (quote) out->push_back('"');
        return true;
      }
      case ArrowType::kTime32: case ArrowType::kTime64: {
        const int64_t v = n.type == ArrowType::kTime32 ? load<int32_t>(n.values, p) : load<int64_t>(n.values, p);
        const int64_t micros = n.unit_per_s >= 1000000 ? v / (n.unit_per_s / 1000000) : v * (1000000 / n.unit_per_s);
        *quoted = true;
        if (quote) out->push_back('"');
        if (!append_time_of_day(out, micros)) return out_of_range("time of day", v);
        if (quote) out->push_back('"');
        return true;
      }
      default:
        err_ = "unsupported value";
        return false;
    }
  }
  bool date(std::string* out, int64_t days, bool* quoted, bool quote) {
    *quoted = true;
    if (quote) out->push_back('"');
    if (!append_date(out, days)) return out_of_range("date (days since 1970-01-01)", days);
    if (quote) out->push_back('"');
    return true;
  }
  bool not_finite() {
    err_ = "NaN or infinity, which StarRocks cannot store";
    return false;
  }
  bool out_of_range(const char* what, int64_t v) {
    err_ = std::string(what) + " " + std::to_string(v) + " is outside 0000-01-01 .. 9999-12-31";
    return false;
  }

  int32_t tz_;
  std::string err_, tmp_;
};

Status invalid(const std::string& m) { return Status::Error(SR_SINK_E_INVALID_ARGUMENT, m); }
Status data(const std::string& m) { return Status::Error(SR_SINK_E_DATA, m, SR_SINK_ERROR_F_DATA); }

}  // namespace

// The op of row j from the `__op` field: int8/uint8 0/1, bool (true = delete), "upsert"/"delete".
bool arrow_field_op(const ArrowNode& n, int64_t j, int* op) {
  const int64_t p = n.offset + j;
  if (n.is_null(p)) return false;
  switch (n.type) {
    case ArrowType::kInt8: case ArrowType::kUInt8: {
      const uint8_t v = load<uint8_t>(n.values, p);
      if (v > 1) return false;
      *op = v;
      return true;
    }
    case ArrowType::kBool:
      *op = (static_cast<const uint8_t*>(n.values)[p >> 3] >> (p & 7)) & 1;
      return true;
    default: {
      const std::string_view s = bytes_at(n, p);
      if (s == "upsert") *op = 0;
      else if (s == "delete") *op = 1;
      else return false;
      return true;
    }
  }
}

Status arrow_bad_op(const uint8_t* ops, int64_t r) {
  if (ops) {
    return data("row " + std::to_string(r) + " has op " + std::to_string(ops[r]) +
                ", neither SR_SINK_OP_UPSERT (0) nor SR_SINK_OP_DELETE (1)");
  }
  return data("field `__op` row " + std::to_string(r) +
              ": the op is null or not one of 0/1, false/true, \"upsert\"/\"delete\"");
}

Status map_arrow_fields(const ArrowNode& root, const uint8_t* ops, const ArrowTarget& t,
                        ArrowColumns* out) {
  const size_t ncol = t.columns.size();
  std::vector<const ArrowNode*>& by_column = out->by_column;
  by_column.assign(ncol, nullptr);
  const ArrowNode*& op_field = out->op_field;
  op_field = nullptr;
  for (size_t f = 0; f < root.children.size(); ++f) {
    const ArrowNode& c = root.children[f];
    if (c.name == "__op") {
      if (op_field) return invalid("field `__op` is given twice");
      const ArrowType ot = c.dictionary ? ArrowType::kNull : c.type;
      if (ot != ArrowType::kInt8 && ot != ArrowType::kUInt8 && ot != ArrowType::kBool &&
          ot != ArrowType::kUtf8 && ot != ArrowType::kLargeUtf8 && ot != ArrowType::kUtf8View) {
        return invalid("field `__op` has format \"" + c.format +
                       "\"; it must be int8/uint8 (0 upsert, 1 delete), bool (true = delete) or "
                       "utf8 (\"upsert\"/\"delete\")");
      }
      op_field = &c;
      continue;
    }
    size_t k = 0;
    while (k < ncol && t.columns[k] != c.name) ++k;
    if (k == ncol) {
      std::string cols;
      for (const std::string& n : t.columns) cols += (cols.empty() ? "" : ", ") + n;
      return invalid("field `" + c.name + "` is not a column opened for this sink (columns: " + cols + ")");
    }
    if (by_column[k]) return invalid("field `" + c.name + "` is given twice");
    by_column[k] = &c;
  }
  if (ops && op_field) return invalid("both ops and a field `__op` are given; pass one of them");
  for (size_t k = 0; k < ncol; ++k) {
    if (t.is_key[k] && !by_column[k]) return invalid("key column `" + t.columns[k] + "` is missing from the batch");
  }
  return Status::OK();
}

namespace {

// The direct path's rows into EncodedRows.
class StringRows final : public RowSink {
 public:
  explicit StringRows(EncodedRows* out) : out_(out) {}
  char* row_space(size_t bound) override {
    std::string& b = out_->body;
    b.resize(used_ + bound);
    return &b[used_];
  }
  void commit_row(size_t len) override {
    used_ += len;
    out_->ends.push_back(used_);
  }
  void finish() { out_->body.resize(used_); }

 private:
  EncodedRows* out_;
  size_t used_ = 0;
};

}  // namespace

Status encode_arrow_batch(const ArrowNode& root, const uint8_t* ops, const ArrowTarget& t,
                          EncodedRows* out) {
  const size_t ncol = t.columns.size();
  ArrowColumns mapped;
  SRS_RETURN_IF_ERROR(map_arrow_fields(root, ops, t, &mapped));
  const std::vector<const ArrowNode*>& by_column = mapped.by_column;
  const ArrowNode* op_field = mapped.op_field;
  if (t.format == WireFormat::kCsv && t.allow_direct && arrow_csv_direct_ok(mapped, t)) {
    out->body.clear();
    out->ends.clear();
    out->ends.reserve(static_cast<size_t>(root.length));
    out->deletes = 0;
    StringRows rows(out);
    Status st = encode_arrow_csv_direct(root, ops, mapped, t, &rows, &out->deletes);
    rows.finish();
    return st;
  }

  const bool csv = t.format == WireFormat::kCsv;
  std::vector<std::string> json_keys(ncol);  // "\"name\":"
  for (size_t k = 0; k < ncol; ++k) {
    append_json_string(&json_keys[k], t.columns[k]);
    json_keys[k].push_back(':');
  }
  enum class Fast { kNone, kInt64, kInt32 };
  std::vector<Fast> fast(ncol, Fast::kNone);
  for (size_t k = 0; k < ncol; ++k) {
    const ArrowNode* n = by_column[k];
    if (!n || n->dictionary) continue;
    if (n->type == ArrowType::kInt64) fast[k] = Fast::kInt64;
    if (n->type == ArrowType::kInt32) fast[k] = Fast::kInt32;
  }
  Encoder enc(t.timezone_offset_s);
  std::string& b = out->body;
  b.clear();
  out->ends.clear();
  out->ends.reserve(static_cast<size_t>(root.length));
  out->deletes = 0;
  for (int64_t r = 0; r < root.length; ++r) {
    const int64_t j = root.offset + r;  // children are indexed by the struct's position
    int op;
    if (!arrow_row_op(ops, op_field, r, j, &op)) return arrow_bad_op(ops, r);
    out->deletes += op == 1;
    if (!csv) b.push_back('{');
    for (size_t k = 0; k < ncol; ++k) {
      const ArrowNode* n = by_column[k];
      const bool null = !n || n->type == ArrowType::kNull || n->is_null(n->offset + j);
      if (null && n && t.is_key[k]) {
        return data("key column `" + t.columns[k] + "` is null in row " + std::to_string(r));
      }
      bool ok = true;
      if (csv) {
        // The common flat types inline; everything else through the encoder.
        if (null) {
          csv_append_null(&b);
        } else if (fast[k] == Fast::kInt64) {
          append_int(&b, load<int64_t>(n->values, n->offset + j));
        } else if (fast[k] == Fast::kInt32) {
          append_int(&b, load<int32_t>(n->values, n->offset + j));
        } else {
          ok = enc.csv(*n, j, t.kinds[k], &b);
        }
        b.push_back(kCsvSeparator);
      } else if (!null) {
        b.append(json_keys[k]);
        ok = enc.json(*n, j, &b);
        b.push_back(',');
      }
      if (!ok) return data("column `" + t.columns[k] + "` row " + std::to_string(r) + ": " + enc.error());
    }
    if (csv) {
      b.push_back(op ? '1' : '0');
      b.push_back(kCsvRowDelimiter);
    } else {
      b.append(op ? "\"__op\":1}\n" : "\"__op\":0}\n");
    }
    out->ends.push_back(b.size());
  }
  return Status::OK();
}

}  // namespace srs
