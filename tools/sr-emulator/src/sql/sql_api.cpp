// HTTP SQL API (spec §5.3): POST /api/v1/catalogs/{catalog}[/databases/{db}]/sql. The emulator
// understands the statements a sink uses: SELECTs on information_schema.tables_config,
// information_schema.columns (discovery) and information_schema.stream_loads (recovery's label
// listing), with conjunctive `COL = 'v'` filters, SHOW CREATE TABLE and DESC.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <ctime>
#include <utility>
#include <vector>

#include "core/json_util.h"
#include "be/load_common.h"
#include "fe/schema_api.h"
#include "sql/schema_types.h"
#include "http/server.h"

namespace sremu {
namespace {

struct Tok {
  enum Kind { kIdent, kString, kNumber, kPunct } kind;
  std::string text;
  bool quoted = false;  // `ident`
};

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool tokenize(const std::string& q, std::vector<Tok>* out, std::string* err) {
  size_t i = 0;
  while (i < q.size()) {
    unsigned char c = static_cast<unsigned char>(q[i]);
    if (std::isspace(c)) { ++i; continue; }
    if (c == '\'' || c == '"' || c == '`') {
      char quote = static_cast<char>(c);
      std::string s;
      ++i;
      bool closed = false;
      while (i < q.size()) {
        if (q[i] == quote) {
          if (i + 1 < q.size() && q[i + 1] == quote) { s.push_back(quote); i += 2; continue; }
          closed = true;
          ++i;
          break;
        }
        if (q[i] == '\\' && quote != '`' && i + 1 < q.size()) { s.push_back(q[i + 1]); i += 2; continue; }
        s.push_back(q[i++]);
      }
      if (!closed) { *err = "unterminated quoted text"; return false; }
      Tok t{quote == '`' ? Tok::kIdent : Tok::kString, s, quote == '`'};
      out->push_back(t);
      continue;
    }
    if (std::isalpha(c) || c == '_') {
      size_t b = i;
      while (i < q.size() && (std::isalnum(static_cast<unsigned char>(q[i])) || q[i] == '_')) ++i;
      out->push_back({Tok::kIdent, q.substr(b, i - b)});
      continue;
    }
    if (std::isdigit(c)) {
      size_t b = i;
      while (i < q.size() && std::isdigit(static_cast<unsigned char>(q[i]))) ++i;
      out->push_back({Tok::kNumber, q.substr(b, i - b)});
      continue;
    }
    out->push_back({Tok::kPunct, std::string(1, static_cast<char>(c))});
    ++i;
  }
  return true;
}

struct Cursor {
  const std::vector<Tok>& t;
  size_t p = 0;
  bool done() const { return p >= t.size(); }
  bool kw(const char* word) {
    if (!done() && t[p].kind == Tok::kIdent && !t[p].quoted && upper(t[p].text) == word) { ++p; return true; }
    return false;
  }
  bool punct(const char* s) {
    if (!done() && t[p].kind == Tok::kPunct && t[p].text == s) { ++p; return true; }
    return false;
  }
  bool ident(std::string* out) {
    if (!done() && t[p].kind == Tok::kIdent) { *out = t[p++].text; return true; }
    return false;
  }
  // [db .] table
  bool qualified(std::string* table, std::string* db) {
    std::string first;
    if (!ident(&first)) return false;
    db->clear();
    if (punct(".")) {
      *db = first;
      return ident(table);
    }
    *table = first;
    return true;
  }
};

struct ResultSet {
  std::vector<std::pair<std::string, std::string>> meta;  // name, type
  std::vector<std::vector<std::string>> rows;             // JSON fragments
};

Response sql_error(int code, const std::string& msg) { return Response::json(code, rest_result(false, msg)); }

class SqlApi : public SimpleHandler {
 public:
  SqlApi(Emulator& emu, std::string catalog, std::string db) : emu_(emu), catalog_(std::move(catalog)), db_(std::move(db)) {}

  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    if (auto denied = fe_auth(emu_, req)) return denied;
    return std::nullopt;
  }

  bool on_data(Request& req, const char* data, size_t size) override {
    if (req.body.size() + size > 6553600) return false;  // the FE's POST aggregation limit
    req.body.append(data, size);
    return true;
  }

  Response on_complete(Request& req) override {
    auto f = emu_.faults.take("schema_sql", "", db_, {"http_status", "reply", "delay", "hang", "drop", "not_master"});
    if (f) {
      if (f->action == "http_status") return Response::json(f->code, f->body);
      if (f->action == "reply") return sql_error(500, f->message);
      if (f->action == "delay") interruptible_sleep_ms(f->ms);
      if (f->action == "hang") return Response::hang();
      if (f->action == "drop") return Response::drop();
      if (f->action == "not_master") return sql_error(503, "non-master FE can not read!");
    }
    CJsonDoc doc(cJSON_Parse(req.body.c_str()));
    if (!cJSON_IsObject(doc.root)) return sql_error(400, "malformed json [ " + req.body.substr(0, 200) + " ]");
    std::string query = json_get_string(doc.root, "query").value_or("");
    raw_ = json_get_bool(doc.root, "onlyOutputResultRaw").value_or(false);
    {
      std::lock_guard<std::mutex> lock(emu_.mu);
      if (catalog_ != "default_catalog" || (!db_.empty() && emu_.catalog.db(db_) == nullptr)) {
        return sql_error(403, "set catalog or db failed");
      }
    }
    std::vector<Tok> toks;
    std::string err;
    if (!tokenize(query, &toks, &err)) return sql_error(500, "Getting syntax error. Detail message: " + err + ".");
    while (!toks.empty() && toks.back().kind == Tok::kPunct && toks.back().text == ";") toks.pop_back();
    if (toks.empty()) return sql_error(400, "\"query can not be empty\"");
    for (const Tok& t : toks) {
      if (t.kind == Tok::kPunct && t.text == ";") return sql_error(400, "http query does not support execute multiple query");
    }
    Cursor c{toks};
    if (c.kw("SELECT")) return select(c);
    if (c.kw("SHOW")) {
      if (c.kw("CREATE") && c.kw("TABLE")) return show_create(c);
      return sql_error(500, "the emulator supports only SHOW CREATE TABLE among SHOW statements");
    }
    if (c.kw("DESC") || c.kw("DESCRIBE")) return desc(c);
    if (c.kw("EXPLAIN") || c.kw("KILL")) return sql_error(500, "the emulator does not support EXPLAIN or KILL");
    return sql_error(400, "http query only support SELECT, SHOW, EXPLAIN, DESC, KILL statement");
  }

 private:
  // Resolves [db.]table against the URL's database; errors are SQL errors (HTTP 500).
  TableStore* resolve(const std::string& table, const std::string& db, std::string* err) {
    std::string d = db.empty() ? db_ : db;
    if (d.empty()) {
      *err = "Getting analyzing error. Detail message: No database selected.";
      return nullptr;
    }
    if (emu_.catalog.db(d) == nullptr) {
      *err = "Getting analyzing error. Detail message: Unknown database '" + d + "'.";
      return nullptr;
    }
    TableStore* t = emu_.catalog.table(d, table);
    if (t == nullptr) *err = "Getting analyzing error. Detail message: Unknown table '" + d + "." + table + "'.";
    return t;
  }

  // A SHOW/DESC result: one JSON object, `data` items keyed by column name (JsonSerializer.getShowResult).
  Response show_result(const ResultSet& rs) {
    std::string meta = "[", data = "[";
    for (size_t i = 0; i < rs.meta.size(); ++i) {
      meta += (i ? "," : "") + JsonObject().str("name", rs.meta[i].first).str("type", rs.meta[i].second).done();
    }
    for (size_t r = 0; r < rs.rows.size(); ++r) {
      JsonObject o;
      for (size_t i = 0; i < rs.meta.size(); ++i) o.raw(rs.meta[i].first, rs.rows[r][i]);
      data += (r ? "," : "") + o.done();
    }
    std::string body = JsonObject()
                           .raw("meta", meta + "]")
                           .raw("data", data + "]")
                           .raw("statistics", JsonObject().num("scanRows", 0).num("scanBytes", 0)
                                                  .num("returnRows", static_cast<int64_t>(rs.rows.size())).done())
                           .done();
    return ndjson(body);
  }

  Response ndjson(std::string body) {
    Response r;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", "application/x-ndjson; charset=utf-8");
    r.headers.emplace_back("X-StarRocks-Query-Id", new_uuid());
    return r;
  }

  Response show_create(Cursor& c) {
    std::string table, db, err;
    if (!c.qualified(&table, &db) || !c.done()) return sql_error(500, "Getting syntax error. Detail message: bad SHOW CREATE TABLE.");
    std::lock_guard<std::mutex> lock(emu_.mu);
    TableStore* t = resolve(table, db, &err);
    if (t == nullptr) return sql_error(500, err);
    ResultSet rs;
    rs.meta = {{"Table", "varchar(20)"}, {"Create Table", "varchar(30)"}};
    rs.rows.push_back({json_quote(t->schema.name), json_quote(show_create_table(t->schema, t->key_idx))});
    return show_result(rs);
  }

  Response desc(Cursor& c) {
    std::string table, db, err;
    if (!c.qualified(&table, &db) || !c.done()) return sql_error(500, "Getting syntax error. Detail message: bad DESC.");
    std::lock_guard<std::mutex> lock(emu_.mu);
    TableStore* t = resolve(table, db, &err);
    if (t == nullptr) return sql_error(500, err);
    ResultSet rs;
    rs.meta = {{"Field", "varchar(20)"}, {"Type", "varchar(20)"}, {"Null", "varchar(20)"},
               {"Key", "varchar(20)"},   {"Default", "varchar(20)"}, {"Extra", "varchar(20)"}};
    for (const Column& col : t->schema.columns) {
      std::string type = col.type.kind == TypeKind::kString ? "varchar(65533)" : col.type.text;
      for (auto& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::string extra = (!col.key && t->schema.keys_type == "AGG_KEYS") ? "REPLACE" : "";
      rs.rows.push_back({json_quote(col.name), json_quote(type), json_quote(col.nullable ? "YES" : "NO"),
                         json_quote(col.key ? "true" : "false"),
                         col.default_value ? json_quote(*col.default_value) : "null", json_quote(extra)});
    }
    return show_result(rs);
  }

  // Builds the full row set of an information_schema table (all rows, all columns).
  bool info_schema(const std::string& name, ResultSet* rs) {
    const std::string vc = "varchar(65533)", bi = "bigint(20)";
    auto s = [](const std::string& v) { return json_quote(v); };
    auto n = [](int64_t v) { return v < 0 ? std::string("null") : std::to_string(v); };
    if (name == "TABLES_CONFIG") {
      for (const char* m : {"TABLE_SCHEMA", "TABLE_NAME", "TABLE_ENGINE", "TABLE_MODEL", "PRIMARY_KEY", "PARTITION_KEY",
                            "DISTRIBUTE_KEY", "DISTRIBUTE_TYPE", "DISTRIBUTE_BUCKET", "SORT_KEY", "PROPERTIES", "TABLE_ID"}) {
        rs->meta.emplace_back(m, std::string(m) == "DISTRIBUTE_BUCKET" || std::string(m) == "TABLE_ID" ? bi : vc);
      }
      for (auto& d : emu_.catalog.databases()) {
        for (auto& kv : d.second.tables) {
          const TableStore& t = *kv.second;
          std::string keys;
          for (size_t i = 0; i < t.key_idx.size(); ++i) keys += (i ? ", `" : "`") + t.schema.columns[t.key_idx[i]].name + "`";
          bool pk_like = t.schema.keys_type == "PRIMARY_KEYS" || t.schema.keys_type == "UNIQUE_KEYS";
          rs->rows.push_back({s(d.first), s(kv.first), s("OLAP"), s(t.schema.keys_type), s(pk_like ? keys : ""), s(""),
                              s(keys), s("HASH"), "1", s(keys), s("{\"replication_num\":\"1\"}"), std::to_string(t.id)});
        }
      }
      return true;
    }
    if (name == "COLUMNS") {
      for (const char* m : {"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION",
                            "COLUMN_DEFAULT", "IS_NULLABLE", "DATA_TYPE", "CHARACTER_MAXIMUM_LENGTH",
                            "CHARACTER_OCTET_LENGTH", "NUMERIC_PRECISION", "NUMERIC_SCALE", "DATETIME_PRECISION",
                            "CHARACTER_SET_NAME", "COLLATION_NAME", "COLUMN_TYPE", "COLUMN_KEY", "EXTRA", "PRIVILEGES",
                            "COLUMN_COMMENT", "COLUMN_SIZE", "DECIMAL_DIGITS", "GENERATION_EXPRESSION", "SRS_ID"}) {
        std::string mm = m;
        bool numeric = mm == "ORDINAL_POSITION" || mm.find("LENGTH") != std::string::npos || mm.find("NUMERIC") == 0 ||
                       mm == "DATETIME_PRECISION" || mm == "COLUMN_SIZE" || mm == "DECIMAL_DIGITS" || mm == "SRS_ID";
        rs->meta.emplace_back(m, numeric ? bi : vc);
      }
      for (auto& d : emu_.catalog.databases()) {
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
      return true;
    }
    if (name == "STREAM_LOADS") {
      stream_loads(rs);
      return true;
    }
    return false;
  }

  // information_schema.stream_loads (StarRocks >= 3.1): one row per stream load task the FE's
  // StreamLoadMgr remembers, Transaction Stream Load labels included (a sink's recovery lists its
  // labels with it). Columns as StarRocks' SchemaStreamLoadsScanner; STATE is the task state
  // (StreamLoadTask.State, "COMMITED" spelled as StarRocks does). The emulator keeps a task as long
  // as it keeps the label (label_keep_max_num), not StarRocks' stream_load_task_keep_max_*.
  void stream_loads(ResultSet* rs) {
    const std::string vc = "varchar(65533)", bi = "bigint(20)", dt = "datetime";
    rs->meta = {{"LABEL", vc},           {"ID", bi},
                {"LOAD_ID", vc},         {"TXN_ID", bi},
                {"DB_NAME", vc},         {"TABLE_NAME", vc},
                {"STATE", vc},           {"ERROR_MSG", vc},
                {"TRACKING_URL", vc},    {"CHANNEL_NUM", bi},
                {"PREPARED_CHANNEL_NUM", bi}, {"NUM_ROWS_NORMAL", bi},
                {"NUM_ROWS_AB_NORMAL", bi},   {"NUM_ROWS_UNSELECTED", bi},
                {"NUM_LOAD_BYTES", bi},  {"TIMEOUT_SECOND", bi},
                {"CREATE_TIME_MS", dt},  {"BEFORE_LOAD_TIME_MS", dt},
                {"START_LOADING_TIME_MS", dt}, {"START_PREPARING_TIME_MS", dt},
                {"FINISH_PREPARING_TIME_MS", dt}, {"END_TIME_MS", dt},
                {"CHANNEL_STATE", vc},   {"TYPE", vc},
                {"TRACKING_SQL", vc},    {"WAREHOUSE", vc}};
    auto s = [](const std::string& v) { return json_quote(v); };
    auto when = [](double ts) -> std::string {
      if (ts <= 0) return "null";
      time_t secs = static_cast<time_t>(ts);
      struct tm tm_utc;
      gmtime_r(&secs, &tm_utc);
      char buf[32];
      strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm_utc);
      return json_quote(buf);
    };
    emu_.tick_locked();
    for (const auto& d : emu_.txns) {
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

  // SELECT COUNT(*) FROM [db.]table: the row count of a user table (scripts check loads this way).
  Response select_count(Cursor& c) {
    std::string table, db, err;
    if (!c.kw("FROM") || !c.qualified(&table, &db) || !c.done()) {
      return sql_error(500, "Getting syntax error. Detail message: the emulator supports only SELECT COUNT(*) FROM <table>.");
    }
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();
    TableStore* t = resolve(table, db, &err);
    if (t == nullptr) return sql_error(500, err);
    std::string out;
    if (!raw_) out += "{\"connectionId\":" + std::to_string(++connection_seq()) + "}\n";
    out += "{\"meta\":[{\"name\":\"count(*)\",\"type\":\"bigint(20)\"}]}\n";
    out += "{\"data\":[" + std::to_string(t->row_count()) + "]}\n";
    if (!raw_) out += "{\"statistics\":{\"scanRows\":" + std::to_string(t->row_count()) + ",\"scanBytes\":0,\"returnRows\":1}}\n";
    return ndjson(out);
  }

  Response select(Cursor& c) {
    std::vector<std::string> cols;
    {
      size_t save = c.p;
      if (c.kw("COUNT") && c.punct("(") && c.punct("*") && c.punct(")")) return select_count(c);
      c.p = save;
    }
    if (c.punct("*")) {
      cols.push_back("*");
    } else {
      do {
        std::string col;
        if (!c.ident(&col)) return sql_error(500, "Getting syntax error. Detail message: expected a column name.");
        cols.push_back(upper(col));
      } while (c.punct(","));
    }
    std::string table, db;
    if (!c.kw("FROM") || !c.qualified(&table, &db)) return sql_error(500, "Getting syntax error. Detail message: expected FROM.");
    std::string schema_db = upper(db.empty() ? db_ : db);
    if (schema_db != "INFORMATION_SCHEMA") {
      return sql_error(500, "the emulator answers SELECTs on information_schema.tables_config, columns and stream_loads only");
    }
    std::vector<std::pair<std::string, std::string>> conds;
    if (c.kw("WHERE")) {
      do {
        std::string col;
        if (!c.ident(&col) || !c.punct("=") || c.done() ||
            (c.t[c.p].kind != Tok::kString && c.t[c.p].kind != Tok::kNumber)) {
          return sql_error(500, "Getting syntax error. Detail message: the emulator supports only COL = 'value' [AND ...].");
        }
        conds.emplace_back(upper(col), c.t[c.p++].text);
      } while (c.kw("AND"));
    }
    if (c.kw("ORDER")) {  // rows are always in ordinal order
      if (!c.kw("BY")) return sql_error(500, "Getting syntax error. Detail message: expected BY.");
      do {
        std::string col;
        if (!c.ident(&col)) return sql_error(500, "Getting syntax error. Detail message: expected a column name.");
        if (!c.kw("ASC")) c.kw("DESC");
      } while (c.punct(","));
    }
    int64_t limit = -1;
    if (c.kw("LIMIT")) {
      if (c.done() || c.t[c.p].kind != Tok::kNumber) return sql_error(500, "Getting syntax error. Detail message: bad LIMIT.");
      limit = std::stoll(c.t[c.p++].text.substr(0, 12));
    }
    if (!c.done()) return sql_error(500, "Getting syntax error. Detail message: unexpected '" + c.t[c.p].text + "'.");
    ResultSet all;
    std::lock_guard<std::mutex> lock(emu_.mu);
    if (!info_schema(upper(table), &all)) {
      return sql_error(500, "Getting analyzing error. Detail message: Unknown table 'information_schema." + table + "'.");
    }
    auto index_of = [&](const std::string& name) -> int {
      for (size_t i = 0; i < all.meta.size(); ++i) {
        if (all.meta[i].first == name) return static_cast<int>(i);
      }
      return -1;
    };
    std::vector<int> picked;
    if (cols.size() == 1 && cols[0] == "*") {
      for (size_t i = 0; i < all.meta.size(); ++i) picked.push_back(static_cast<int>(i));
    } else {
      for (const auto& col : cols) {
        int i = index_of(col);
        if (i < 0) return sql_error(500, "Getting analyzing error. Detail message: Column '" + col + "' cannot be resolved.");
        picked.push_back(i);
      }
    }
    std::vector<std::pair<int, std::string>> filters;
    for (const auto& cond : conds) {
      int i = index_of(cond.first);
      if (i < 0) return sql_error(500, "Getting analyzing error. Detail message: Column '" + cond.first + "' cannot be resolved.");
      filters.emplace_back(i, cond.second);
    }
    std::string out;
    if (!raw_) out += "{\"connectionId\":" + std::to_string(++connection_seq()) + "}\n";
    std::string meta = "[";
    for (size_t k = 0; k < picked.size(); ++k) {
      meta += (k ? "," : "") + JsonObject().str("name", all.meta[picked[k]].first).str("type", all.meta[picked[k]].second).done();
    }
    out += "{\"meta\":" + meta + "]}\n";
    int64_t returned = 0;
    for (const auto& row : all.rows) {
      bool match = true;
      for (const auto& f : filters) {
        const std::string& v = row[f.first];
        std::string plain = !v.empty() && v[0] == '"' ? v.substr(1, v.size() - 2) : v;
        if (plain != f.second) match = false;
      }
      if (!match) continue;
      if (limit >= 0 && returned >= limit) break;
      std::string data = "[";
      for (size_t k = 0; k < picked.size(); ++k) data += (k ? "," : "") + row[picked[k]];
      out += "{\"data\":" + data + "]}\n";
      ++returned;
    }
    if (!raw_) {
      out += "{\"statistics\":" + JsonObject().num("scanRows", returned).num("scanBytes", 0).num("returnRows", returned).done() + "}\n";
    }
    return ndjson(out);
  }

  static std::atomic<int64_t>& connection_seq() {
    static std::atomic<int64_t> seq{0};
    return seq;
  }

  Emulator& emu_;
  std::string catalog_, db_;
  bool raw_ = false;
};

}  // namespace

std::unique_ptr<Handler> make_sql_api(Emulator& emu, const std::string& catalog, const std::string& db) {
  return std::make_unique<SqlApi>(emu, catalog, db);
}

}  // namespace sremu
