// Journal replay at start (see journal.h): rebuilds tables, committed rows, remembered labels
// and PREPARED transactions. PREPARE txns lose their BE context on restart and are aborted,
// as StarRocks aborts txns whose coordinator BE restarted.
#include <algorithm>
#include <map>

#include "core/emulator.h"
#include "core/json_util.h"

namespace sremu {

std::string Emulator::replay(const std::vector<std::string>& lines) {
  std::map<int64_t, std::shared_ptr<Txn>> by_id;
  size_t line_no = 0;
  for (const std::string& line : lines) {
    ++line_no;
    CJsonDoc doc(cJSON_Parse(line.c_str()));
    if (!cJSON_IsObject(doc.root)) return "journal line " + std::to_string(line_no) + " is not a JSON object";
    const cJSON* r = doc.root;
    std::string type = json_get_string(r, "t").value_or("");
    auto num = [&](const char* k) { return json_get_int(r, k).value_or(0); };
    auto ts = [&]() {
      const cJSON* v = cJSON_GetObjectItemCaseSensitive(r, "ts");
      return cJSON_IsNumber(v) ? v->valuedouble : now();
    };
    if (type == "table") {
      std::unique_ptr<TableStore> t;
      std::string db = json_get_string(r, "db").value_or(""), name = json_get_string(r, "table").value_or("");
      std::string err = Catalog::table_from_json(db, name, cJSON_GetObjectItemCaseSensitive(r, "def"), &t);
      if (!err.empty()) return "journal line " + std::to_string(line_no) + ": " + err;
      catalog.create_table(std::move(t));  // a table also in --catalog keeps the catalog's definition
    } else if (type == "db") {  // CREATE DATABASE over the query port
      catalog.ensure_db(json_get_string(r, "db").value_or(""));
    } else if (type == "drop") {
      catalog.drop_table(json_get_string(r, "db").value_or(""), json_get_string(r, "table").value_or(""));
    } else if (type == "clock") {
      const cJSON* v = cJSON_GetObjectItemCaseSensitive(r, "offset");
      if (cJSON_IsNumber(v)) set_clock_offset(v->valuedouble);
    } else if (type == "begin") {
      auto t = std::make_shared<Txn>();
      t->id = num("id");
      t->db = json_get_string(r, "db").value_or("");
      t->table = json_get_string(r, "table").value_or("");
      t->label = json_get_string(r, "label").value_or("");
      t->kind = json_get_string(r, "kind").value_or("");
      t->begin_ts = t->last_active_ts = ts();
      t->timeout_s = num("timeout");
      t->idle_timeout_s = num("idle");
      t->coordinator_be = static_cast<int>(std::min<int64_t>(num("be"), static_cast<int64_t>(be_ports.size()) - 1));
      if (t->coordinator_be < 0) t->coordinator_be = 0;
      t->state = TxnState::kPrepare;
      txns[t->db].by_label[t->label] = t;
      by_id[t->id] = t;
      next_txn_id_ = std::max(next_txn_id_, t->id + 1);
    } else if (type == "prepare" || type == "commit" || type == "abort") {
      auto it = by_id.find(num("id"));
      if (it == by_id.end()) continue;  // its label was evicted before the begin was replayed
      Txn& t = *it->second;
      if (type == "abort") {
        t.state = TxnState::kAborted;
        t.reason = json_get_string(r, "reason").value_or("");
        t.finish_ts = ts();
        t.rows.clear();
        continue;
      }
      t.params.partial_update = json_get_bool(r, "partial").value_or(false);
      t.params.merge_condition = json_get_string(r, "merge").value_or("");
      t.rows_loaded = num("loaded");
      t.rows_filtered = num("filtered");
      const cJSON* rows = cJSON_GetObjectItemCaseSensitive(r, "rows");
      if (rows != nullptr) {
        t.rows.clear();
        if (!rows_from_json(rows, &t.rows)) return "journal line " + std::to_string(line_no) + " has malformed rows";
      }
      if (type == "prepare") {
        t.state = TxnState::kPrepared;
        t.prepared_ts = ts();
        t.prepared_timeout_s = num("pto");
      } else {
        std::vector<Row> data = std::move(t.rows);
        t.finish_ts = ts();
        make_visible_locked(t, data);
        t.finish_ts = ts();
      }
    }
  }
  // Transaction-state counters restart from what survived.
  stats.txn_transitions.clear();
  for (auto& kv : by_id) {
    Txn& t = *kv.second;
    if (t.state == TxnState::kPrepare) abort_locked(t, "coordinate BE restarted");
  }
  for (auto& d : txns) evict_locked(d.second);
  return {};
}

}  // namespace sremu
