// HTTP SQL API (spec §5.3): POST /api/v1/catalogs/{catalog}[/databases/{db}]/sql. Statements are
// answered by the shared SQL engine (engine.h); this file is the HTTP front end: auth, faults,
// the statement kinds the HTTP API allows (SELECT, SHOW, EXPLAIN, DESC, KILL), and StarRocks'
// reply shapes: NDJSON for SELECTs, one JSON object for SHOW/DESC.
#include <atomic>
#include <utility>
#include <vector>

#include "be/load_common.h"
#include "core/json_util.h"
#include "fe/schema_api.h"
#include "http/server.h"
#include "sql/engine.h"
#include "sql/lexer.h"

namespace sremu {
namespace {

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
    if (c.kw("EXPLAIN") || c.kw("KILL")) return sql_error(500, "the emulator does not support EXPLAIN or KILL");
    if (!(c.kw("SELECT") || c.kw("SHOW") || c.kw("DESC") || c.kw("DESCRIBE"))) {
      return sql_error(400, "http query only support SELECT, SHOW, EXPLAIN, DESC, KILL statement");
    }
    SqlSession session;
    session.frontend = SqlFrontend::kHttp;
    session.db = db_;
    SqlResult rs;
    if (auto e = run_sql(emu_, session, query, &rs)) return sql_error(e->http_status, e->message);
    return rs.shape == SqlResult::kShow ? show_result(rs) : select_result(rs);
  }

 private:
  // A SHOW/DESC result: one JSON object, `data` items keyed by column name (JsonSerializer.getShowResult).
  Response show_result(const SqlResult& rs) {
    std::string meta = "[", data = "[";
    for (size_t i = 0; i < rs.meta.size(); ++i) {
      meta += (i ? "," : "") + JsonObject().str("name", rs.meta[i].name).str("type", rs.meta[i].type).done();
    }
    for (size_t r = 0; r < rs.rows.size(); ++r) {
      JsonObject o;
      for (size_t i = 0; i < rs.meta.size(); ++i) o.raw(rs.meta[i].name, rs.rows[r][i]);
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

  // A SELECT result: NDJSON lines connectionId, meta, one data line per row, statistics.
  Response select_result(const SqlResult& rs) {
    std::string out;
    if (!raw_) out += "{\"connectionId\":" + std::to_string(++connection_seq()) + "}\n";
    std::string meta = "[";
    for (size_t k = 0; k < rs.meta.size(); ++k) {
      meta += (k ? "," : "") + JsonObject().str("name", rs.meta[k].name).str("type", rs.meta[k].type).done();
    }
    out += "{\"meta\":" + meta + "]}\n";
    for (const auto& row : rs.rows) {
      std::string data = "[";
      for (size_t k = 0; k < row.size(); ++k) data += (k ? "," : "") + row[k];
      out += "{\"data\":" + data + "]}\n";
    }
    const int64_t returned = static_cast<int64_t>(rs.rows.size());
    if (!raw_) {
      out += "{\"statistics\":" + JsonObject().num("scanRows", rs.scan_rows >= 0 ? rs.scan_rows : returned)
                                      .num("scanBytes", 0).num("returnRows", returned).done() + "}\n";
    }
    return ndjson(out);
  }

  Response ndjson(std::string body) {
    Response r;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", "application/x-ndjson; charset=utf-8");
    r.headers.emplace_back("X-StarRocks-Query-Id", new_uuid());
    return r;
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
