// JSON bodies (spec §6.1): NDJSON / concatenated documents, one object, or an array with
// strip_outer_array; json_root first; simple mode (keys by name) or jsonpaths (positional).
#include <unordered_map>

#include "data_internal.h"

namespace sremu::dl {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class JsonLoader {
 public:
  JsonLoader(const TableSchema& table, const LoadParams& params, ParsedLoad* out)
      : params_(params), plan_(build_plan(table, params, true)), rows_(table, params, plan_, out) {
    for (size_t i = 0; i < plan_.fields.size(); ++i) index_.emplace(plan_.fields[i], static_cast<int>(i));
    fields_.resize(plan_.fields.size());
    if (!params.json_root.empty()) parse_json_path(params.json_root, &root_path_);
  }

  void run(std::string_view body) {
    size_t pos = 0;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // UTF-8 BOM
    for (;;) {
      while (pos < body.size() && is_ws(body[pos])) ++pos;
      if (pos >= body.size()) return;
      size_t start = pos;
      doc_.clear();
      int root = -1;
      std::string err;
      if (!json_parse(body, &pos, &doc_, &root, &err)) {
        // Like simdjson's document stream, reading cannot resume after malformed input: the rest of
        // the body counts as one filtered row (so the load fails unless max_filter_ratio allows it).
        size_t end = body.find('\n', start);
        std::string_view shown = body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (shown.size() > 1024) shown = shown.substr(0, 1024);
        rows_.reject("Failed to parse json data: " + err + " at offset " + std::to_string(pos), shown);
        return;
      }
      document(root);
    }
  }

 private:
  void document(int root) {
    int node = root;
    if (!root_path_.empty()) {
      node = eval_json_path(doc_, root, root_path_);
      if (node < 0) {
        reject_counted("JSON root not found: " + params_.json_root, doc_.at(root).text);
        return;
      }
    }
    const JNode& n = doc_.at(node);
    if (params_.strip_outer_array) {
      if (n.kind != JKind::kArray) {
        reject_counted("JSON data is not an array, strip_outer_array must be set false", n.text);
        return;
      }
      for (int c = n.first; c >= 0; c = doc_.at(c).next) {
        if (doc_.at(c).kind == JKind::kObject) row(c);
        else reject_counted("JSON data is not an object", doc_.at(c).text);
      }
      return;
    }
    if (n.kind == JKind::kObject) row(node);
    else if (n.kind == JKind::kArray) reject_counted("JSON data is an array, strip_outer_array must be set true", n.text);
    else reject_counted("JSON data is not an object", n.text);
  }

  void reject_counted(const std::string& reason, std::string_view text) { rows_.reject(reason, text); }

  void row(int obj) {
    for (SrcVal& f : fields_) f = SrcVal{};
    if (plan_.paths.empty()) {
      std::string tmp;
      for (int c = doc_.at(obj).first; c >= 0; c = doc_.at(c).next) {
        auto it = index_.find(json_key(doc_.at(c), &tmp));
        if (it == index_.end()) continue;  // unknown keys are ignored
        SrcVal& f = fields_[static_cast<size_t>(it->second)];
        if (f.kind != SrcVal::kMissing) continue;  // duplicate key: the first one wins
        f.kind = SrcVal::kJson;
        f.doc = &doc_;
        f.node = c;
      }
    } else {
      for (size_t i = 0; i < plan_.paths.size(); ++i) {
        int c = eval_json_path(doc_, obj, plan_.paths[i]);
        if (c < 0) continue;
        fields_[i].kind = SrcVal::kJson;
        fields_[i].doc = &doc_;
        fields_[i].node = c;
      }
    }
    rows_.add(fields_, doc_.at(obj).text);
  }

 private:
  const LoadParams& params_;
  LoadPlan plan_;
  RowBuilder rows_;
  std::unordered_map<std::string_view, int> index_;
  std::vector<SrcVal> fields_;
  std::vector<PathStep> root_path_;
  JsonDoc doc_;
};

}  // namespace

void parse_json_body(const TableSchema& table, const LoadParams& params, std::string_view body, ParsedLoad* out) {
  JsonLoader loader(table, params, out);
  loader.run(body);
}

}  // namespace sremu::dl
