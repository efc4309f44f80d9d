#include "sql_api.h"

#include <cjson/cJSON.h>

#include <memory>

namespace srs {
namespace {

using JsonPtr = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

std::string value_text(const cJSON* v) {
  if (cJSON_IsString(v)) return v->valuestring;
  if (cJSON_IsNull(v)) return "";
  char* t = cJSON_PrintUnformatted(v);
  std::string out = t ? t : "";
  cJSON_free(t);
  return out;
}

}  // namespace

std::string sql_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

HttpRequest sql_request(const std::string& target, const std::string& query) {
  HttpRequest req;
  req.method = "POST";
  req.target = target;
  req.headers = {{"Content-Type", "application/json"}};
  JsonPtr body(cJSON_CreateObject(), &cJSON_Delete);
  cJSON_AddStringToObject(body.get(), "query", query.c_str());
  char* text = cJSON_PrintUnformatted(body.get());
  req.body = text ? text : "";
  cJSON_free(text);
  return req;
}

SqlAnswer parse_sql_answer(const std::string& body) {
  SqlAnswer out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    size_t end = nl == std::string::npos ? body.size() : nl;
    JsonPtr line(cJSON_ParseWithLength(body.data() + pos, end - pos), &cJSON_Delete);
    pos = end + 1;
    if (!cJSON_IsObject(line.get())) continue;
    if (cJSON_GetObjectItemCaseSensitive(line.get(), "meta")) out.has_meta = true;
    const cJSON* data = cJSON_GetObjectItemCaseSensitive(line.get(), "data");
    if (!cJSON_IsArray(data)) continue;
    std::vector<std::string> row;
    const cJSON* v;
    cJSON_ArrayForEach(v, data) row.push_back(value_text(v));
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace srs
