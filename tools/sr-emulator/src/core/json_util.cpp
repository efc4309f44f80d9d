#include "core/json_util.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sremu {

void json_quote(std::string_view s, std::string* out) {
  static const char* hex = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(hex[c >> 4]);
          out->push_back(hex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string json_quote(std::string_view s) {
  std::string out;
  json_quote(s, &out);
  return out;
}

void JsonObject::key(std::string_view k) {
  if (!body_.empty()) body_.push_back(',');
  json_quote(k, &body_);
  body_.push_back(':');
}

JsonObject& JsonObject::str(std::string_view k, std::string_view v) {
  key(k);
  json_quote(v, &body_);
  return *this;
}

JsonObject& JsonObject::num(std::string_view k, int64_t v) {
  key(k);
  body_ += std::to_string(v);
  return *this;
}

JsonObject& JsonObject::dbl(std::string_view k, double v) {
  key(k);
  if (!std::isfinite(v)) {
    body_ += "null";
    return *this;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  body_ += buf;
  return *this;
}

JsonObject& JsonObject::boolean(std::string_view k, bool v) {
  key(k);
  body_ += v ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::null(std::string_view k) {
  key(k);
  body_ += "null";
  return *this;
}

JsonObject& JsonObject::raw(std::string_view k, std::string_view fragment) {
  key(k);
  body_.append(fragment);
  return *this;
}

std::string JsonObject::done() const { return "{" + body_ + "}"; }

std::optional<std::string> json_get_string(const cJSON* obj, const char* key) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsString(item) || item->valuestring == nullptr) return std::nullopt;
  return std::string(item->valuestring);
}

std::optional<int64_t> json_get_int(const cJSON* obj, const char* key) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsNumber(item)) return std::nullopt;
  // Out-of-range doubles would make the conversion undefined: treat them as absent.
  if (!std::isfinite(item->valuedouble) || item->valuedouble > 9e18 || item->valuedouble < -9e18) return std::nullopt;
  return static_cast<int64_t>(item->valuedouble);
}

std::optional<bool> json_get_bool(const cJSON* obj, const char* key) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsBool(item)) return std::nullopt;
  return cJSON_IsTrue(item) != 0;
}

std::string json_print(const cJSON* item) {
  char* text = cJSON_PrintUnformatted(item);
  if (text == nullptr) return "null";
  std::string out(text);
  std::free(text);
  return out;
}

}  // namespace sremu
