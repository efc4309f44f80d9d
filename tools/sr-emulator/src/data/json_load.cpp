// JSON bodies (spec §6.1), read the way StarRocks' JsonReader does (be/src/exec/json_scanner.cpp,
// json_parser.cpp): the first non-blank byte picks NDJSON ('{') or array ('['); strip_outer_array
// and json_root pick the parser. Malformed or mis-shaped documents fail the whole load with the
// parser's message (what the BE puts into `Message`); per-row value problems only filter the row.
#include <unordered_map>

#include "data/internal.h"

namespace sremu::dl {
namespace {

constexpr size_t kMaxValueShown = 64;  // StarRocks' MAX_RAW_JSON_LEN in error messages

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class JsonLoader {
 public:
  JsonLoader(const TableSchema& table, const LoadParams& params, ParsedLoad* out)
      : params_(params), plan_(build_plan(table, params, true)), rows_(table, params, plan_, out), out_(out) {
    for (size_t i = 0; i < plan_.fields.size(); ++i) index_.emplace(plan_.fields[i], static_cast<int>(i));
    fields_.resize(plan_.fields.size());
    if (!params.json_root.empty()) parse_json_path(params.json_root, &root_path_);
  }

  void run(std::string_view body) {
    size_t pos = 0;
    while (pos < body.size() && is_ws(body[pos])) ++pos;
    if (pos >= body.size()) return;  // empty body: nothing to load
    if (body[pos] != '{' && body[pos] != '[') {
      // StarRocks formats the byte as a number (fmt of uint8_t).
      fail("illegal json started with " + std::to_string(static_cast<unsigned char>(body[pos])));
      return;
    }
    // Parser choice as in JsonReader::_read_and_parse_json: without json_root only
    // strip_outer_array matters; with json_root the first byte decides.
    bool as_array = root_path_.empty() ? params_.strip_outer_array : body[pos] == '[';
    if (as_array) array(body, pos);
    else stream(body, pos);
  }

 private:
  void fail(std::string message) {
    if (out_->error.empty()) out_->error = std::move(message);
    out_->rows.clear();  // the load fails as a whole: nothing of it may be applied
  }
  bool failed() const { return !out_->error.empty(); }

  std::string shown(int node) {
    std::string s;
    json_minify(doc_, node, false, &s);
    if (s.size() > kMaxValueShown) s.resize(kMaxValueShown);
    return s;
  }

  // NDJSON / concatenated documents (JsonDocumentStreamParser[WithRoot]).
  void stream(std::string_view body, size_t pos) {
    for (;;) {
      while (pos < body.size() && is_ws(body[pos])) ++pos;
      if (pos >= body.size() || failed()) return;
      doc_.clear();
      int root = -1;
      std::string err;
      if (!json_parse(body, &pos, &doc_, &root, &err, /*lenient_escapes=*/true)) {
        fail("Failed to iterate document stream as object. error: " + err);
        return;
      }
      JKind k = doc_.at(root).kind;
      if (k == JKind::kArray) {
        fail("The value is array type in json document stream, you can set strip_outer_array=true to parse each "
             "element of the array as individual rows");
        return;
      }
      if (k != JKind::kObject) {
        fail("The value should be object type in json document stream");
        return;
      }
      if (root_path_.empty()) {
        row(root);
        continue;
      }
      int v = eval_json_path(doc_, root, root_path_);
      if (v < 0) {
        fail("sr-emulator: json_root " + params_.json_root + " was not found in a document");
        return;
      }
      if (params_.strip_outer_array) {
        if (doc_.at(v).kind != JKind::kArray) {
          fail("the value should be array type with strip_outer_array=true in json document stream with root, value: " +
               shown(v));
          return;
        }
        expand(v, "the value should be object type in expanded json document stream with json root, value: ");
      } else if (doc_.at(v).kind != JKind::kObject) {
        fail("the value should be object type in json document stream with json root, value: " + shown(v));
        return;
      } else {
        row(v);
      }
    }
  }

  // One top-level array (JsonArrayParser[WithRoot] / ExpandedJsonArrayParserWithRoot).
  void array(std::string_view body, size_t pos) {
    doc_.clear();
    int root = -1;
    std::string err;
    const size_t start = pos;
    if (!json_parse(body, &pos, &doc_, &root, &err, /*lenient_escapes=*/true)) {
      if (root_path_.empty() && body[start] == '[' && truncated_array(body, start)) return;
      fail("Failed to parse json as array. error: " + err);
      return;
    }
    if (doc_.at(root).kind != JKind::kArray) {
      fail("the value should be array type with strip_outer_array=true, value: " + shown(root));
      return;
    }
    while (pos < body.size() && is_ws(body[pos])) ++pos;
    if (pos < body.size()) {
      // simdjson stops after the first array and StarRocks silently ignores the rest; losing data
      // silently would hide a client bug, so the emulator refuses instead.
      fail("sr-emulator: data after the top-level JSON array (StarRocks would silently ignore it); send one "
           "array per load or NDJSON");
      return;
    }
    for (int c = doc_.at(root).first; c >= 0 && !failed(); c = doc_.at(c).next) {
      if (doc_.at(c).kind != JKind::kObject) {
        fail("Failed to iterate json array as object. error: The JSON element does not have the requested type.");
        return;
      }
      if (root_path_.empty()) {
        row(c);
        continue;
      }
      int v = eval_json_path(doc_, c, root_path_);
      if (v < 0) {
        fail("sr-emulator: json_root " + params_.json_root + " was not found in an array element");
        return;
      }
      if (params_.strip_outer_array) {
        if (doc_.at(v).kind != JKind::kArray) {
          fail("the value under json root should be array type with strip_outer_array=true in json array, value: " +
               shown(v));
          return;
        }
        expand(v, "the value should be object type in expanded json array with json root, value: ");
      } else if (doc_.at(v).kind != JKind::kObject) {
        fail("the value should be object type in json array with json root, value: " + shown(v));
        return;
      } else {
        row(v);
      }
    }
  }

  // simdjson's on-demand parser finds most syntax errors only while it walks the array: StarRocks
  // loads the elements before the error, reads the broken element's members up to the member whose
  // value is broken (that value converts as a failure: NULL), loads that row, and then the array
  // iteration ends: later elements are silently not loaded, and the load succeeds
  // (test/sql/test_stream_load/R/test_stream_load_json_map_partial_append). Only a broken member
  // value is known to behave so; any other error returns false (the whole load fails).
  bool truncated_array(std::string_view body, size_t pos) {
    ParsedLoad saved = *out_;
    ++pos;  // '['
    for (;;) {
      while (pos < body.size() && is_ws(body[pos])) ++pos;
      if (pos >= body.size()) break;
      if (body[pos] == ']') return restore(saved);  // no broken member value: not this case
      if (body[pos] != '{') break;
      doc_.clear();
      const size_t obj_start = pos;
      int obj = static_cast<int>(doc_.nodes.size());
      doc_.nodes.emplace_back();
      doc_.nodes[static_cast<size_t>(obj)].kind = JKind::kObject;
      ++pos;
      int last = -1;
      uint32_t count = 0;
      bool broken = false, closed = false;
      for (;;) {
        while (pos < body.size() && is_ws(body[pos])) ++pos;
        if (pos < body.size() && body[pos] == '}' && count == 0) {
          ++pos;
          closed = true;
          break;
        }
        int key = -1;
        std::string err;
        if (pos >= body.size() || body[pos] != '"' || !json_parse(body, &pos, &doc_, &key, &err)) break;
        while (pos < body.size() && is_ws(body[pos])) ++pos;
        if (pos >= body.size() || body[pos] != ':') break;
        ++pos;
        while (pos < body.size() && is_ws(body[pos])) ++pos;
        const size_t value_start = pos;
        int child = -1;
        if (!json_parse(body, &pos, &doc_, &child, &err, /*lenient_escapes=*/true)) {
          child = static_cast<int>(doc_.nodes.size());
          doc_.nodes.emplace_back();
          JNode& bad = doc_.nodes[static_cast<size_t>(child)];
          bad.kind = JKind::kString;
          bad.bad = true;
          bad.text = body.substr(value_start, pos - value_start);
          broken = true;
        }
        const JNode& k = doc_.at(key);
        doc_.nodes[static_cast<size_t>(child)].key = k.text;
        doc_.nodes[static_cast<size_t>(child)].key_escaped = k.escaped;
        if (last < 0) doc_.nodes[static_cast<size_t>(obj)].first = child;
        else doc_.nodes[static_cast<size_t>(last)].next = child;
        last = child;
        ++count;
        if (broken) break;
        while (pos < body.size() && is_ws(body[pos])) ++pos;
        if (pos < body.size() && body[pos] == ',') {
          ++pos;
          continue;
        }
        if (pos < body.size() && body[pos] == '}') {
          ++pos;
          closed = true;
        }
        break;
      }
      if (!broken && !closed) return restore(saved);  // an error outside a member value
      doc_.nodes[static_cast<size_t>(obj)].count = count;
      doc_.nodes[static_cast<size_t>(obj)].text = body.substr(obj_start, pos - obj_start);
      row(obj);
      if (broken) return true;  // the iteration ends here: later elements are not read
      while (pos < body.size() && is_ws(body[pos])) ++pos;
      if (pos < body.size() && body[pos] == ',') {
        ++pos;
        continue;
      }
      break;
    }
    return restore(saved);
  }

  bool restore(const ParsedLoad& saved) {
    *out_ = saved;
    return false;
  }

  void expand(int arr, const char* not_object) {
    for (int c = doc_.at(arr).first; c >= 0 && !failed(); c = doc_.at(c).next) {
      if (doc_.at(c).kind != JKind::kObject) {
        fail(not_object + shown(c));
        return;
      }
      row(c);
    }
  }

  void row(int obj) {
    for (SrcVal& f : fields_) f = SrcVal{};
    if (plan_.paths.empty()) {
      std::string tmp;
      size_t k = 0;
      for (int c = doc_.at(obj).first; c >= 0; c = doc_.at(c).next, ++k) {
        std::string_view key = json_key(doc_.at(c), &tmp);
        int field = lookup(k, key);
        if (field < 0) continue;  // unknown keys are ignored
        SrcVal& f = fields_[static_cast<size_t>(field)];
        if (f.kind != SrcVal::kMissing) continue;  // duplicate key: the first one wins
        f.kind = SrcVal::kJson;
        f.doc = &doc_;
        f.node = c;
      }
    } else {
      for (size_t i = 0; i < plan_.paths.size(); ++i) {
        int c = eval_json_path(doc_, obj, plan_.paths[i]);
        if (c < 0) continue;  // not found: NULL (__op: 0)
        fields_[i].kind = SrcVal::kJson;
        fields_[i].doc = &doc_;
        fields_[i].node = c;
      }
    }
    rows_.add(fields_, doc_.at(obj).text);
  }

  // Rows of one load usually share their key order, so the field of the k-th key of the previous
  // row is tried first (StarRocks' JsonReader does the same with _prev_parsed_position).
  int lookup(size_t k, std::string_view key) {
    if (k < prev_keys_.size() && prev_keys_[k].first == key) return prev_keys_[k].second;
    auto it = index_.find(key);
    int field = it == index_.end() ? -1 : it->second;
    if (k >= prev_keys_.size()) prev_keys_.resize(k + 1);
    prev_keys_[k].first.assign(key.data(), key.size());
    prev_keys_[k].second = field;
    return field;
  }

  const LoadParams& params_;
  LoadPlan plan_;
  RowBuilder rows_;
  ParsedLoad* out_;
  std::unordered_map<std::string_view, int> index_;
  std::vector<SrcVal> fields_;
  std::vector<PathStep> root_path_;
  std::vector<std::pair<std::string, int>> prev_keys_;
  JsonDoc doc_;
};

}  // namespace

void parse_json_body(const TableSchema& table, const LoadParams& params, std::string_view body, ParsedLoad* out) {
  JsonLoader loader(table, params, out);
  loader.run(body);
}

}  // namespace sremu::dl
