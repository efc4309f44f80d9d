// CSV bodies (spec §6.2): multi-byte separators and row delimiters, \N as NULL, blank lines skipped,
// and the v3.0 options enclose / escape / skip_header / trim_space.
#include "data/internal.h"

namespace sremu::dl {
namespace {

struct CsvField {
  std::string_view text;  // value after enclose/escape processing
  bool enclosed = false;
  bool null = false;
};

class CsvReader {
 public:
  CsvReader(const TableSchema& table, const LoadParams& params, ParsedLoad* out)
      : params_(params),
        plan_(build_plan(table, params, false)),
        rows_(table, params, plan_, out),
        rd_(params.row_delimiter),
        cs_(params.column_separator),
        plain_(!params.enclose && !params.escape) {
    // Rows must be UTF-8 unless raw bytes are expected (VARBINARY), like the BE's validate_utf8.
    check_utf8_ = true;
    for (const Column& c : table.columns)
      if (c.type.kind == TypeKind::kVarbinary) check_utf8_ = false;
    src_.resize(plan_.fields.size());
  }

  void run(std::string_view body) {
    if (rd_.empty() || cs_.empty()) return;  // rejected by parse_load_params
    size_t pos = 0;
    int64_t skipped = 0;
    while (pos < body.size()) {
      size_t end = record_end(body, pos);
      std::string_view record = body.substr(pos, end - pos);
      pos = end >= body.size() ? body.size() : end + rd_.size();
      if (skipped < params_.skip_header) {
        ++skipped;
        continue;
      }
      if (record.empty()) continue;  // StarRocks always skips blank lines
      this->record(record);
    }
  }

 private:
  bool at(std::string_view s, size_t i, const std::string& delim) const {
    return s.size() - i >= delim.size() && s.compare(i, delim.size(), delim) == 0;
  }

  size_t record_end(std::string_view body, size_t pos) const {
    if (plain_) {
      size_t e = body.find(rd_, pos);
      return e == std::string_view::npos ? body.size() : e;
    }
    // A row delimiter inside an enclosed field or right after the escape byte does not end the row.
    bool quoted = false;
    for (size_t i = pos; i < body.size(); ++i) {
      char c = body[i];
      if (params_.escape && c == *params_.escape) {
        ++i;
        continue;
      }
      if (params_.enclose && c == *params_.enclose) {
        quoted = !quoted;
        continue;
      }
      if (!quoted && at(body, i, rd_)) return i;
    }
    return body.size();
  }

  std::string_view trimmed(std::string_view s) const {
    if (!params_.trim_space) return s;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  }

  void split_plain(std::string_view rec) {
    size_t start = 0;
    for (;;) {
      size_t e = rec.find(cs_, start);
      std::string_view f = rec.substr(start, e == std::string_view::npos ? std::string_view::npos : e - start);
      CsvField cf;
      cf.text = trimmed(f);
      cf.null = cf.text == "\\N";
      fields_.push_back(cf);
      if (e == std::string_view::npos) break;
      start = e + cs_.size();
    }
  }

  void split_quoted(std::string_view rec) {
    size_t i = 0;
    size_t n = 0;
    const char enc = params_.enclose.value_or('\0');
    const char esc = params_.escape.value_or('\0');
    for (;;) {
      if (storage_.size() <= n) storage_.emplace_back();
      std::string& buf = storage_[n];
      buf.clear();
      CsvField cf;
      if (params_.trim_space)
        while (i < rec.size() && rec[i] == ' ') ++i;
      if (params_.enclose && i < rec.size() && rec[i] == enc) {
        cf.enclosed = true;
        ++i;
        while (i < rec.size()) {
          char c = rec[i];
          if (params_.escape && c == esc && i + 1 < rec.size()) {
            buf.push_back(rec[i + 1]);
            i += 2;
          } else if (c == enc) {
            if (i + 1 < rec.size() && rec[i + 1] == enc) {  // doubled enclose = literal
              buf.push_back(enc);
              i += 2;
            } else {
              ++i;
              break;
            }
          } else {
            buf.push_back(c);
            ++i;
          }
        }
      }
      // Unenclosed part (or whatever follows a closing enclose) up to the separator.
      size_t tail = buf.size();
      bool sep = false;
      while (i < rec.size()) {
        if (at(rec, i, cs_)) {
          i += cs_.size();
          sep = true;
          break;
        }
        if (params_.escape && rec[i] == esc && i + 1 < rec.size()) {
          buf.push_back(rec[i + 1]);
          i += 2;
          continue;
        }
        buf.push_back(rec[i++]);
      }
      if (params_.trim_space)
        while (buf.size() > tail && buf.back() == ' ') buf.pop_back();
      // StarRocks compares the field with \N after enclose and escape bytes are removed (its
      // CSVColumn keeps no "was enclosed" flag): "\N" enclosed, or \\N with escape '\', is NULL.
      cf.null = buf == "\\N";
      fields_.push_back(cf);
      ++n;
      if (!sep) break;
    }
    for (size_t k = 0; k < fields_.size(); ++k) fields_[k].text = storage_[k];
  }

  void record(std::string_view rec) {
    fields_.clear();
    if (plain_) split_plain(rec);
    else split_quoted(rec);
    if (fields_.size() != plan_.fields.size()) {
      rows_.reject("Value count does not match column count. Expect " + std::to_string(plan_.fields.size()) +
                       ", but got " + std::to_string(fields_.size()),
                   rec);
      return;
    }
    if (check_utf8_ && !valid_utf8(rec)) {
      rows_.reject("Invalid UTF-8 row", rec);
      return;
    }
    for (size_t k = 0; k < fields_.size(); ++k) {
      src_[k] = SrcVal{};
      src_[k].kind = fields_[k].null ? SrcVal::kNull : SrcVal::kText;
      src_[k].text = fields_[k].text;
    }
    rows_.add(src_, rec);
  }

  const LoadParams& params_;
  LoadPlan plan_;
  RowBuilder rows_;
  const std::string& rd_;
  const std::string& cs_;
  bool plain_;
  bool check_utf8_ = true;
  std::vector<CsvField> fields_;
  std::vector<std::string> storage_;
  std::vector<SrcVal> src_;
};

}  // namespace

void parse_csv_body(const TableSchema& table, const LoadParams& params, std::string_view body, ParsedLoad* out) {
  CsvReader reader(table, params, out);
  reader.run(body);
}

}  // namespace sremu::dl
