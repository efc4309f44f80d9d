// The direct CSV path of Arrow batches (arrow_encode.h: arrow_csv_direct_ok and friends): the
// per-column state and the row loop, a template over where the rows go, so the sink's load buffer
// (Pipeline::row_space/commit_row, inline) takes rows without a virtual call per row. The value
// encoders, chosen once per batch per column, are in arrow_csv_direct.cpp.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "arrow_encode.h"
#include "time_text.h"
#include "wire_format.h"

namespace srs {
namespace csv_direct {

// "YYYY-MM-DD" for a day since 1970-01-01 from a per-thread direct-mapped cache (the text is a
// function of the day alone): a batch's timestamps usually fall on few days (this benchmark's on
// one year's), and the civil calendar arithmetic costs more than the rest of a timestamp.
struct DayText {
  int64_t day = INT64_MIN;
  char text[10];
};
constexpr size_t kDayCache = 512;
struct Col;
// Writes the non-null value at physical position p; nullptr with c.err set on a bad value.
using Put = char* (*)(Col& c, int64_t p, char* out);

struct Col {
  const ArrowNode* n = nullptr;  // null: the batch does not carry this column (always \N)
  Put put = nullptr;
  const uint8_t* validity = nullptr;
  const char* values = nullptr;
  int64_t offset = 0;
  bool key = false;
  int scale = 0, width_bytes = 0;
  int64_t unit_per_s = 1;
  int64_t tz = 0;                   // seconds added to zoned timestamps
  DayText* days = nullptr;  // day_cache(), looked up once per batch
  const char* data_end = nullptr;  // utf8/large_utf8: the end of the bytes of the whole column
  std::string err;

  bool null_at(int64_t p) const { return validity && !((validity[p >> 3] >> (p & 7)) & 1); }
  // The day's text (false as put_date).
  bool put_day(char* out, int64_t day) {
    DayText& e = days[static_cast<uint64_t>(day) % kDayCache];
    if (e.day != day) {
      if (!put_date(e.text, day)) return false;
      e.day = day;
    }
    std::memcpy(out, e.text, 10);
    return true;
  }
};

// Bytes past a row's text that the value encoders may overwrite (their 8-byte moves of digits
// and times, 16-byte moves of short strings): each row asks row_space for them too; later values
// and rows overwrite them, and they are never committed.
constexpr size_t kScratch = 16;

struct CsvDirectPlan {
  std::vector<Col> cols;    // per target column
  std::vector<size_t> var;  // the string columns: their lengths make each row's bound
  size_t fixed = 0;         // a row's bound without its strings' bytes
};
// Chooses each column's encoder (the batch passed arrow_csv_direct_ok).
void csv_direct_prepare(const ArrowColumns& cols, const ArrowTarget& t, CsvDirectPlan* plan);

inline bool is_var(ArrowType t) {
  return t == ArrowType::kUtf8 || t == ArrowType::kLargeUtf8 || t == ArrowType::kUtf8View;
}

// The byte length of the string at physical position p (0 for a null view; a null's \N is in the
// fixed part).
inline size_t var_len(const Col& c, int64_t p) {
  if (c.n->type == ArrowType::kUtf8) {
    int32_t b, e;
    std::memcpy(&b, static_cast<const char*>(c.n->offsets) + 4 * p, 4);
    std::memcpy(&e, static_cast<const char*>(c.n->offsets) + 4 * (p + 1), 4);
    return static_cast<size_t>(e - b);
  }
  if (c.n->type == ArrowType::kLargeUtf8) {
    int64_t b, e;
    std::memcpy(&b, static_cast<const char*>(c.n->offsets) + 8 * p, 8);
    std::memcpy(&e, static_cast<const char*>(c.n->offsets) + 8 * (p + 1), 8);
    return static_cast<size_t>(e - b);
  }
  // A view: the import checks the views of non-null entries only (a null's may hold anything).
  if (c.null_at(p)) return 0;
  int32_t len;
  std::memcpy(&len, c.values + 16 * p, 4);
  return static_cast<size_t>(len);
}

// The rows of the batch into `out` (row_space(bound) / commit_row(len)), in the general encoder's
// order of checks and with its messages. On error some rows may have been committed.
template <class Rows>
Status csv_direct_rows(const ArrowNode& root, const uint8_t* ops, const ArrowColumns& cols,
                       const ArrowTarget& t, CsvDirectPlan* plan, Rows& out, uint64_t* deletes) {
  auto data = [](const std::string& m) { return Status::Error(SR_SINK_E_DATA, m, SR_SINK_ERROR_F_DATA); };
  const size_t ncol = plan->cols.size();
  Col* const col = plan->cols.data();
  const ArrowNode* op_field = cols.op_field;
  uint64_t dels = 0;
  for (int64_t r = 0; r < root.length; ++r) {
    const int64_t j = root.offset + r;  // children are indexed by the struct's position
    int op;
    if (!arrow_row_op(ops, op_field, r, j, &op)) return arrow_bad_op(ops, r);
    dels += op == 1;
    size_t bound = plan->fixed;
    for (size_t k : plan->var) bound += var_len(col[k], col[k].offset + j);
    char* const start = out.row_space(bound + kScratch);
    char* o = start;
    for (size_t k = 0; k < ncol; ++k) {
      Col& c = col[k];
      const int64_t p = c.offset + j;
      if (!c.put || c.null_at(p)) {
        if (c.n && c.key) return data("key column `" + t.columns[k] + "` is null in row " + std::to_string(r));
        o[0] = '\\';
        o[1] = 'N';
        o += 2;
      } else {
        o = c.put(c, p, o);
        if (!o) return data("column `" + t.columns[k] + "` row " + std::to_string(r) + ": " + c.err);
      }
      *o++ = kCsvSeparator;
    }
    o[0] = op ? '1' : '0';
    o[1] = kCsvRowDelimiter;
    o += 2;
    out.commit_row(static_cast<size_t>(o - start));
  }
  *deletes += dels;
  return Status::OK();
}

}  // namespace csv_direct
}  // namespace srs
