#include "sql/info_schema.h"

#include <ctime>

#include "core/json_util.h"
#include "sql/schema_types.h"

namespace sremu {
namespace {

const char* kVc = "varchar(65533)";
const char* kBi = "bigint(20)";
const char* kDt = "datetime";

std::string s(const std::string& v) { return json_quote(v); }
std::string n(int64_t v) { return v < 0 ? std::string("null") : std::to_string(v); }

void tables_config(Emulator& emu, SqlResult* rs) {
  for (const char* m : {"TABLE_SCHEMA", "TABLE_NAME", "TABLE_ENGINE", "TABLE_MODEL", "PRIMARY_KEY", "PARTITION_KEY",
                        "DISTRIBUTE_KEY", "DISTRIBUTE_TYPE", "DISTRIBUTE_BUCKET", "SORT_KEY", "PROPERTIES", "TABLE_ID"}) {
    rs->meta.push_back({m, std::string(m) == "DISTRIBUTE_BUCKET" || std::string(m) == "TABLE_ID" ? kBi : kVc});
  }
  for (auto& d : emu.catalog.databases()) {
    for (auto& kv : d.second.tables) {
      const TableStore& t = *kv.second;
      std::string keys;
      for (size_t i = 0; i < t.key_idx.size(); ++i) keys += (i ? ", `" : "`") + t.schema.columns[t.key_idx[i]].name + "`";
      bool pk_like = t.schema.keys_type == "PRIMARY_KEYS" || t.schema.keys_type == "UNIQUE_KEYS";
      rs->rows.push_back({s(d.first), s(kv.first), s("OLAP"), s(t.schema.keys_type), s(pk_like ? keys : ""), s(""),
                          s(keys), s("HASH"), "1", s(keys), s("{\"replication_num\":\"1\"}"), std::to_string(t.id)});
    }
  }
}

void columns(Emulator& emu, SqlResult* rs) {
  for (const char* m : {"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION",
                        "COLUMN_DEFAULT", "IS_NULLABLE", "DATA_TYPE", "CHARACTER_MAXIMUM_LENGTH",
                        "CHARACTER_OCTET_LENGTH", "NUMERIC_PRECISION", "NUMERIC_SCALE", "DATETIME_PRECISION",
                        "CHARACTER_SET_NAME", "COLLATION_NAME", "COLUMN_TYPE", "COLUMN_KEY", "EXTRA", "PRIVILEGES",
                        "COLUMN_COMMENT", "COLUMN_SIZE", "DECIMAL_DIGITS", "GENERATION_EXPRESSION", "SRS_ID"}) {
    std::string mm = m;
    bool numeric = mm == "ORDINAL_POSITION" || mm.find("LENGTH") != std::string::npos || mm.find("NUMERIC") == 0 ||
                   mm == "DATETIME_PRECISION" || mm == "COLUMN_SIZE" || mm == "DECIMAL_DIGITS" || mm == "SRS_ID";
    rs->meta.push_back({m, numeric ? kBi : kVc});
  }
  for (auto& d : emu.catalog.databases()) {
    for (auto& kv : d.second.tables) {
      const TableStore& t = *kv.second;
      for (size_t i = 0; i < t.schema.columns.size(); ++i) {
        const Column& c = t.schema.columns[i];
        bool str = c.type.kind == TypeKind::kChar || c.type.kind == TypeKind::kVarchar || c.type.kind == TypeKind::kString;
        bool num = decimal_digits(c.type) >= 0;
        rs->rows.push_back({s("def"), s(d.first), s(kv.first), s(c.name), std::to_string(i + 1),
                            c.default_value ? s(*c.default_value) : "null", s(c.nullable ? "YES" : "NO"),
                            s(mysql_data_type(c.type)), str ? n(c.type.length) : "null",
                            str ? n(c.type.length) : "null", num ? n(column_size(c.type)) : "null",
                            num ? n(decimal_digits(c.type)) : "null",
                            c.type.kind == TypeKind::kDateTime ? "0" : "null", str ? s("utf8") : "null",
                            str ? s("utf8_general_ci") : "null", s(mysql_column_type(c.type)),
                            s(c.key ? column_key(t.schema.keys_type) : ""), s(""), s("SELECT,INSERT,UPDATE,REFERENCES"),
                            s(""), n(column_size(c.type)), n(decimal_digits(c.type)), "null", "null"});
      }
    }
  }
}

// information_schema.tables: one BASE TABLE row per table (the catalog tools browse with it).
void tables(Emulator& emu, SqlResult* rs) {
  rs->meta = {{"TABLE_CATALOG", kVc}, {"TABLE_SCHEMA", kVc},   {"TABLE_NAME", kVc},     {"TABLE_TYPE", kVc},
              {"ENGINE", kVc},        {"VERSION", kBi},        {"ROW_FORMAT", kVc},     {"TABLE_ROWS", kBi},
              {"AVG_ROW_LENGTH", kBi}, {"DATA_LENGTH", kBi},   {"MAX_DATA_LENGTH", kBi}, {"INDEX_LENGTH", kBi},
              {"DATA_FREE", kBi},     {"AUTO_INCREMENT", kBi}, {"CREATE_TIME", kDt},    {"UPDATE_TIME", kDt},
              {"CHECK_TIME", kDt},    {"TABLE_COLLATION", kVc}, {"CHECKSUM", kBi},      {"CREATE_OPTIONS", kVc},
              {"TABLE_COMMENT", kVc}};
  for (auto& d : emu.catalog.databases()) {
    for (auto& kv : d.second.tables) {
      rs->rows.push_back({s("def"), s(d.first), s(kv.first), s("BASE TABLE"), s("StarRocks"), "null", s(""),
                          std::to_string(kv.second->row_count()), "0", "0", "null", "null", "null", "null", "null",
                          "null", "null", s("utf8_general_ci"), "null", s(""), s("")});
    }
  }
}

void schemata(Emulator& emu, SqlResult* rs) {
  rs->meta = {{"CATALOG_NAME", kVc}, {"SCHEMA_NAME", kVc}, {"DEFAULT_CHARACTER_SET_NAME", kVc},
              {"DEFAULT_COLLATION_NAME", kVc}, {"SQL_PATH", kVc}};
  rs->rows.push_back({s("def"), s("information_schema"), s("utf8"), s("utf8_general_ci"), "null"});
  for (auto& d : emu.catalog.databases()) {
    rs->rows.push_back({s("def"), s(d.first), s("utf8"), s("utf8_general_ci"), "null"});
  }
}

// information_schema.stream_loads (StarRocks >= 3.1): one row per stream load task the FE's
// StreamLoadMgr remembers, Transaction Stream Load labels included (a sink's recovery lists its
// labels with it). Columns as StarRocks' SchemaStreamLoadsScanner; STATE is the task state
// (StreamLoadTask.State, "COMMITED" spelled as StarRocks does). The emulator keeps a task as long
// as it keeps the label (label_keep_max_num), not StarRocks' stream_load_task_keep_max_*.
void stream_loads(Emulator& emu, SqlResult* rs) {
  rs->meta = {{"LABEL", kVc},           {"ID", kBi},
              {"LOAD_ID", kVc},         {"TXN_ID", kBi},
              {"DB_NAME", kVc},         {"TABLE_NAME", kVc},
              {"STATE", kVc},           {"ERROR_MSG", kVc},
              {"TRACKING_URL", kVc},    {"CHANNEL_NUM", kBi},
              {"PREPARED_CHANNEL_NUM", kBi}, {"NUM_ROWS_NORMAL", kBi},
              {"NUM_ROWS_AB_NORMAL", kBi},   {"NUM_ROWS_UNSELECTED", kBi},
              {"NUM_LOAD_BYTES", kBi},  {"TIMEOUT_SECOND", kBi},
              {"CREATE_TIME_MS", kDt},  {"BEFORE_LOAD_TIME_MS", kDt},
              {"START_LOADING_TIME_MS", kDt}, {"START_PREPARING_TIME_MS", kDt},
              {"FINISH_PREPARING_TIME_MS", kDt}, {"END_TIME_MS", kDt},
              {"CHANNEL_STATE", kVc},   {"TYPE", kVc},
              {"TRACKING_SQL", kVc},    {"WAREHOUSE", kVc}};
  auto when = [](double ts) -> std::string {
    if (ts <= 0) return "null";
    time_t secs = static_cast<time_t>(ts);
    struct tm tm_utc;
    gmtime_r(&secs, &tm_utc);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm_utc);
    return json_quote(buf);
  };
  emu.tick_locked();
  for (const auto& d : emu.txns) {
    for (const auto& kv : d.second.by_label) {
      const Txn& t = *kv.second;
      std::string state;
      switch (t.state) {
        case TxnState::kPrepare: state = t.has_data ? "LOADING" : "BEFORE_LOAD"; break;
        case TxnState::kPrepared: state = "PREPARED"; break;
        case TxnState::kCommitted: state = "COMMITED"; break;
        case TxnState::kVisible: state = "FINISHED"; break;
        case TxnState::kAborted: state = "CANCELLED"; break;
      }
      const bool txn_api = t.kind == "transaction";
      const bool done = t.state == TxnState::kVisible || t.state == TxnState::kAborted;
      rs->rows.push_back({s(t.label), std::to_string(t.id), s(""), std::to_string(t.id), s(t.db), s(t.table),
                          s(state), t.reason.empty() ? "null" : s(t.reason), s(t.error_url), "1",
                          t.state == TxnState::kPrepare ? "0" : "1", std::to_string(t.rows_loaded),
                          std::to_string(t.rows_filtered), std::to_string(t.unselected), std::to_string(t.bytes),
                          std::to_string(t.timeout_s), when(t.begin_ts), when(t.begin_ts), when(t.begin_ts),
                          when(t.prepared_ts), when(t.prepared_ts), done ? when(t.finish_ts) : "null",
                          s("[" + state + "]"), s(txn_api ? "PARALLEL_STREAM_LOAD" : "STREAM_LOAD"), "null",
                          s("default_warehouse")});
    }
  }
}

}  // namespace

bool info_schema_table(Emulator& emu, const std::string& name, SqlResult* rs) {
  if (name == "TABLES_CONFIG") tables_config(emu, rs);
  else if (name == "COLUMNS") columns(emu, rs);
  else if (name == "TABLES") tables(emu, rs);
  else if (name == "SCHEMATA") schemata(emu, rs);
  else if (name == "STREAM_LOADS") stream_loads(emu, rs);
  else return false;
  return true;
}

}  // namespace sremu
