// Small JSON helpers: an insertion-ordered object writer (StarRocks replies are read by humans in
// test logs, so key order follows StarRocks' own), string escaping, and cJSON conveniences.
#pragma once
#include <cjson/cJSON.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sremu {

// Appends `s` as a quoted JSON string to `out`.
void json_quote(std::string_view s, std::string* out);
std::string json_quote(std::string_view s);

// Builds one JSON object, keys in the order they are added.
class JsonObject {
 public:
  JsonObject& str(std::string_view key, std::string_view value);
  JsonObject& num(std::string_view key, int64_t value);
  JsonObject& dbl(std::string_view key, double value);
  JsonObject& boolean(std::string_view key, bool value);
  JsonObject& null(std::string_view key);
  // `fragment` must already be valid JSON (a nested object, array or canonical value).
  JsonObject& raw(std::string_view key, std::string_view fragment);
  std::string done() const;  // "{...}"

 private:
  void key(std::string_view k);
  std::string body_;
};

// Owning wrapper so parsed documents are always freed.
struct CJsonDoc {
  explicit CJsonDoc(cJSON* p = nullptr) : root(p) {}
  ~CJsonDoc() { cJSON_Delete(root); }
  CJsonDoc(const CJsonDoc&) = delete;
  CJsonDoc& operator=(const CJsonDoc&) = delete;
  cJSON* root;
};

std::optional<std::string> json_get_string(const cJSON* obj, const char* key);
std::optional<int64_t> json_get_int(const cJSON* obj, const char* key);
std::optional<bool> json_get_bool(const cJSON* obj, const char* key);
std::string json_print(const cJSON* item);  // minified

}  // namespace sremu
