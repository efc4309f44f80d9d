#include "core/faults.h"

#include <cjson/cJSON.h>

#include "core/json_util.h"

namespace sremu {
namespace {

const std::set<std::string>& known_points() {
  static const std::set<std::string> p{"fe_stream_load", "be_stream_load", "txn_begin", "txn_load", "txn_prepare",
                                       "txn_commit", "txn_rollback", "get_load_state", "cancel", "schema_v2",
                                       "schema_sql", "schema_legacy", "any"};
  return p;
}

const std::set<std::string>& known_actions() {
  static const std::set<std::string> a{"http_status", "reply", "drop", "apply_then_drop", "apply_then_reply",
                                       "delay", "hang", "publish_timeout", "not_master", "too_many_versions",
                                       "be_unreachable"};
  return a;
}

}  // namespace

std::optional<int64_t> Faults::add(const std::string& json, std::string* error) {
  CJsonDoc doc(cJSON_Parse(json.c_str()));
  if (!cJSON_IsObject(doc.root)) {
    *error = "fault must be a JSON object";
    return std::nullopt;
  }
  Fault f;
  f.point = json_get_string(doc.root, "point").value_or("");
  f.action = json_get_string(doc.root, "action").value_or("");
  if (known_points().count(f.point) == 0) {
    *error = "unknown fault point '" + f.point + "'";
    return std::nullopt;
  }
  if (known_actions().count(f.action) == 0) {
    *error = "unknown fault action '" + f.action + "'";
    return std::nullopt;
  }
  f.label = json_get_string(doc.root, "label").value_or("");
  f.table = json_get_string(doc.root, "table").value_or("");
  f.skip = json_get_int(doc.root, "skip").value_or(0);
  f.times = json_get_int(doc.root, "times").value_or(1);
  f.every = json_get_int(doc.root, "every").value_or(1);
  if (f.every < 1) {
    *error = "fault \"every\" must be a positive integer";
    return std::nullopt;
  }
  f.code = static_cast<int>(json_get_int(doc.root, "code").value_or(500));
  if (f.code < 100 || f.code > 599) {
    *error = "fault code must be an HTTP status (100..599)";
    return std::nullopt;
  }
  f.body = json_get_string(doc.root, "body").value_or("");
  f.status = json_get_string(doc.root, "status").value_or("");
  f.message = json_get_string(doc.root, "message").value_or("");
  f.after_bytes = json_get_int(doc.root, "after_bytes").value_or(0);
  f.ms = json_get_int(doc.root, "ms").value_or(0);
  f.publish_delay_s = json_get_int(doc.root, "publish_delay_s").value_or(5);
  const cJSON* extra = cJSON_GetObjectItemCaseSensitive(doc.root, "extra");
  if (extra != nullptr) {
    if (!cJSON_IsObject(extra)) {
      *error = "fault \"extra\" must be an object";
      return std::nullopt;
    }
    std::string text = json_print(extra);
    f.extra_json = text.size() > 2 ? text.substr(1, text.size() - 2) : "";
  }
  f.definition = json_print(doc.root);
  std::lock_guard<std::mutex> lock(mu_);
  f.id = next_id_++;
  faults_.push_back(f);
  return f.id;
}

void Faults::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
}

std::string Faults::list_json() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out = "[";
  for (size_t i = 0; i < faults_.size(); ++i) {
    const Fault& f = faults_[i];
    if (i) out += ",";
    std::string def = f.definition.size() > 2 ? f.definition.substr(1, f.definition.size() - 2) : "";
    out += "{\"id\":" + std::to_string(f.id) + ",\"hits\":" + std::to_string(f.hits) +
           ",\"remaining_skip\":" + std::to_string(f.skip) + ",\"remaining_times\":" + std::to_string(f.times) +
           (def.empty() ? "" : "," + def) + "}";
  }
  return out + "]";
}

std::optional<Fault> Faults::take(const std::string& point, const std::string& label, const std::string& db_table,
                                  const std::set<std::string>& actions) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Fault& f : faults_) {
    if (f.point != point && f.point != "any") continue;
    if (!actions.empty() && actions.count(f.action) == 0) continue;
    if (!f.label.empty() && f.label != label) continue;
    if (!f.table.empty() && f.table != db_table) continue;
    if (f.times == 0) continue;
    if (f.skip > 0) {
      --f.skip;
      continue;
    }
    if (f.every > 1 && ++f.seen % f.every != 0) continue;
    if (f.times > 0) --f.times;
    ++f.hits;
    return f;
  }
  return std::nullopt;
}

}  // namespace sremu
