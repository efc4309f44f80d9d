#include "txn_sql.h"

#include <cjson/cJSON.h>

#include <memory>

namespace srs {

std::string sql_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string json_string(const std::string& text) {
  std::unique_ptr<cJSON, decltype(&cJSON_Delete)> s(cJSON_CreateString(text.c_str()), &cJSON_Delete);
  char* printed = cJSON_PrintUnformatted(s.get());
  std::string out = printed ? printed : "\"\"";
  cJSON_free(printed);
  return out;
}

Result<std::vector<ListedLabel>> parse_label_rows(const std::string& body) {
  std::vector<ListedLabel> out;
  bool saw_meta = false;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    size_t end = nl == std::string::npos ? body.size() : nl;
    std::unique_ptr<cJSON, decltype(&cJSON_Delete)> line(
        cJSON_ParseWithLength(body.data() + pos, end - pos), &cJSON_Delete);
    pos = end + 1;
    if (!line || !cJSON_IsObject(line.get())) continue;
    if (cJSON_GetObjectItemCaseSensitive(line.get(), "meta")) saw_meta = true;
    const cJSON* data = cJSON_GetObjectItemCaseSensitive(line.get(), "data");
    if (!cJSON_IsArray(data) || cJSON_GetArraySize(data) < 2) continue;
    const cJSON* label = cJSON_GetArrayItem(data, 0);
    const cJSON* state = cJSON_GetArrayItem(data, 1);
    if (!cJSON_IsString(label) || !cJSON_IsString(state)) continue;
    out.push_back(ListedLabel{label->valuestring, state->valuestring});
  }
  if (!saw_meta) {
    return Status::Error(SR_SINK_E_NOT_SUPPORTED,
                         "listing labels: the HTTP SQL API answer has no result set: " +
                             body.substr(0, 200));
  }
  return out;
}

}  // namespace srs
