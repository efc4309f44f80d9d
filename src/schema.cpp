// Table discovery (spec §5.5): the v2 schema endpoint, else the HTTP SQL API, else `_schema`.
#include "schema.h"

#include <cjson/cJSON.h>
#include <strings.h>

#include <memory>

#include "backoff.h"
#include "http.h"
#include "options.h"
#include "sql_api.h"

namespace srs {
namespace {

using JsonPtr = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

JsonPtr parse(const std::string& text) {
  return JsonPtr(cJSON_ParseWithLength(text.data(), text.size()), &cJSON_Delete);
}

std::string str_of(const cJSON* obj, const char* key) {
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

std::string upper(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
  return s;
}

std::string short_body(const std::string& body) {
  std::string s = body.substr(0, 300);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// One request, with transport failures retried (discovery only reads: repeating is harmless).
Result<HttpResponse> fetch(HttpClient& http, const Options& options, const HttpRequest& req,
                           const std::atomic<bool>* cancelled) {
  Status last;
  for (int attempt = 0; attempt <= std::max(0, options.max_retries); ++attempt) {
    if (attempt > 0 &&
        !sleep_unless_cancelled(backoff_ms(options.retry_backoff_ms, attempt), cancelled)) {
      return Status::Error(SR_SINK_E_CANCELLED, "cancelled");
    }
    HttpResult res = http.perform(req);
    if (res.status.ok()) return std::move(res.response);
    last = res.status;
    if (!last.retryable()) break;
  }
  return last;
}

Status missing(const std::string& db, const std::string& table, const std::string& detail) {
  return Status::Error(SR_SINK_E_SCHEMA, "table " + db + "." + table + " does not exist" +
                                             (detail.empty() ? "" : " (StarRocks: " + detail + ")"));
}

// Outcome of one discovery step: an answer, "this server does not have the endpoint", or an error.
struct Step {
  enum Kind { kFound, kUnavailable, kError } kind = kUnavailable;
  TableInfo info;
  Status error;
  std::string why;  // for kUnavailable
};

// Step 1: spec §5.2.
Step try_v2(HttpClient& http, const Options& options, const std::string& db,
            const std::string& table, const std::atomic<bool>* cancelled) {
  Step step;
  HttpRequest req;
  req.target = "/api/v2/catalogs/default_catalog/databases/" + url_escape(db) + "/tables/" +
               url_escape(table) + "/schema";
  Result<HttpResponse> r = fetch(http, options, req, cancelled);
  if (!r.ok()) return Step{Step::kError, {}, r.status(), ""};
  JsonPtr doc = parse(r->body);
  const cJSON* obj = cJSON_IsObject(doc.get()) ? doc.get() : nullptr;
  const bool has_code = obj && cJSON_GetObjectItemCaseSensitive(obj, "code");
  if (r->status == 404 && has_code) return Step{Step::kError, {}, missing(db, table, str_of(obj, "message")), ""};
  if (r->status == 403 && has_code) {
    return Step{Step::kError, {},
                Status::Error(SR_SINK_E_SCHEMA, "table " + db + "." + table +
                                                    " cannot be written by this sink (StarRocks: " +
                                                    str_of(obj, "message") + ")"),
                ""};
  }
  if (r->status != 200 || !has_code) {
    step.why = "v2 schema API answered HTTP " + std::to_string(r->status);
    return step;
  }
  const cJSON* result = cJSON_GetObjectItemCaseSensitive(obj, "result");
  const cJSON* columns = cJSON_GetObjectItemCaseSensitive(result, "columns");
  if (!cJSON_IsObject(result) || !cJSON_IsArray(columns)) {
    step.why = "v2 schema API reply has no result.columns: " + short_body(r->body);
    return step;
  }
  step.kind = Step::kFound;
  step.info.source = "v2 schema API";
  step.info.keys_type = str_of(result, "keysType");
  const cJSON* col;
  cJSON_ArrayForEach(col, columns) {
    TableColumn c;
    c.name = str_of(col, "name");
    c.is_key = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(col, "isKey"));
    const cJSON* type = cJSON_GetObjectItemCaseSensitive(col, "type");
    c.type = upper(cJSON_IsObject(type) ? str_of(type, "name") : str_of(col, "type"));
    if (!c.name.empty()) step.info.columns.push_back(std::move(c));
  }
  return step;
}

// Runs one SELECT through the HTTP SQL API (spec §5.3) and returns its `data` rows.
// kUnavailable when the endpoint is missing or refuses.
struct SqlRows {
  bool ok = false;
  Status error;
  std::string why;
  std::vector<std::vector<std::string>> rows;
};

SqlRows run_sql(HttpClient& http, const Options& options, const std::string& query,
                const std::atomic<bool>* cancelled) {
  SqlRows out;
  Result<HttpResponse> r =
      fetch(http, options, sql_request("/api/v1/catalogs/default_catalog/sql", query), cancelled);
  if (!r.ok()) {
    out.error = r.status();
    return out;
  }
  if (r->status != 200) {
    out.why = "HTTP SQL API answered HTTP " + std::to_string(r->status) + ": " + short_body(r->body);
    return out;
  }
  out.rows = parse_sql_answer(r->body).rows;
  out.ok = true;
  return out;
}

// Step 2: spec §5.3.
Step try_sql(HttpClient& http, const Options& options, const std::string& db,
             const std::string& table, const std::atomic<bool>* cancelled) {
  Step step;
  const std::string where =
      " WHERE TABLE_SCHEMA=" + sql_string(db) + " AND TABLE_NAME=" + sql_string(table);
  SqlRows t = run_sql(http, options,
                      "SELECT TABLE_MODEL, PRIMARY_KEY FROM information_schema.tables_config" + where,
                      cancelled);
  if (!t.error.ok()) return Step{Step::kError, {}, t.error, ""};
  if (!t.ok) {
    step.why = t.why;
    return step;
  }
  if (t.rows.empty()) return Step{Step::kError, {}, missing(db, table, ""), ""};
  SqlRows c = run_sql(http, options,
                      "SELECT COLUMN_NAME, COLUMN_KEY, DATA_TYPE FROM information_schema.columns" + where +
                          " ORDER BY ORDINAL_POSITION",
                      cancelled);
  if (!c.error.ok()) return Step{Step::kError, {}, c.error, ""};
  if (!c.ok) {
    step.why = c.why;
    return step;
  }
  step.kind = Step::kFound;
  step.info.source = "HTTP SQL API";
  step.info.keys_type = t.rows[0].empty() ? "" : t.rows[0][0];
  // PRIMARY_KEY is a backquoted list ("`id`, `k2`"); COLUMN_KEY is "PRI" for PK key columns.
  const std::string pk = t.rows[0].size() > 1 ? t.rows[0][1] : "";
  for (const auto& row : c.rows) {
    if (row.empty() || row[0].empty()) continue;
    TableColumn col;
    col.name = row[0];
    col.is_key = (row.size() > 1 && row[1] == "PRI") ||
                 pk.find("`" + col.name + "`") != std::string::npos;
    if (row.size() > 2) col.type = upper(row[2]);
    step.info.columns.push_back(std::move(col));
  }
  return step;
}

// Step 3: spec §5.1. Names and types only.
Step try_legacy(HttpClient& http, const Options& options, const std::string& db,
                const std::string& table, const std::atomic<bool>* cancelled,
                const std::string& earlier) {
  HttpRequest req;
  req.target = "/api/" + url_escape(db) + "/" + url_escape(table) + "/_schema";
  Result<HttpResponse> r = fetch(http, options, req, cancelled);
  if (!r.ok()) return Step{Step::kError, {}, r.status(), ""};
  JsonPtr doc = parse(r->body);
  const bool starrocks_reply = cJSON_IsObject(doc.get()) &&
                               cJSON_GetObjectItemCaseSensitive(doc.get(), "status");
  if (r->status == 404 && !starrocks_reply) {
    // A StarRocks FE answers a missing table here with {"status":404,"exception":...}. A bare 404
    // on all three endpoints is another server: typically a BE's webserver_port (8040), which has
    // none of the FE's endpoints.
    return Step{Step::kError, {},
                Status::Error(SR_SINK_E_SCHEMA,
                              "the server at http_url does not answer like a StarRocks FE: the "
                              "v2 schema API, the HTTP SQL API and /api/" + db + "/" + table +
                                  "/_schema all answered HTTP 404 without a StarRocks reply (" +
                                  earlier + "). Is http_url a BE's webserver_port (default 8040) "
                                  "instead of the FE's http_port (default 8030)?"),
                ""};
  }
  if (r->status == 404) {
    return Step{Step::kError, {}, missing(db, table, str_of(doc.get(), "exception")), ""};
  }
  return Step{Step::kError, {},
              Status::Error(SR_SINK_E_SCHEMA,
                            "cannot determine the table type of " + db + "." + table +
                                ": the server offers neither the v2 schema API nor the HTTP SQL "
                                "API (" + earlier + "), and /_schema (HTTP " +
                                std::to_string(r->status) +
                                ") does not say whether it is a Primary Key table"),
              ""};
}

}  // namespace

Result<TableInfo> discover_table(HttpClient& http, const Options& options, const std::string& db,
                                 const std::string& table, const std::atomic<bool>* cancelled) {
  Step s = try_v2(http, options, db, table, cancelled);
  if (s.kind == Step::kFound) return std::move(s.info);
  if (s.kind == Step::kError) return s.error;
  std::string why = s.why;
  s = try_sql(http, options, db, table, cancelled);
  if (s.kind == Step::kFound) return std::move(s.info);
  if (s.kind == Step::kError) return s.error;
  why += "; " + s.why;
  s = try_legacy(http, options, db, table, cancelled, why);
  return s.error;
}

Status check_table(const TableInfo& info, const std::string& db, const std::string& table,
                   const std::vector<std::string>& written) {
  const std::string name = db + "." + table;
  // "PRIMARY_KEYS" in code; the docs spell it "PRI_KEYS" (spec §5.3).
  if (info.keys_type.rfind("PRI", 0) != 0) {
    return Status::Error(SR_SINK_E_SCHEMA,
                         "table " + name + " is not a Primary Key table (keys type " +
                             (info.keys_type.empty() ? "unknown" : info.keys_type) +
                             "); upserts and deletes need a PRIMARY KEY table");
  }
  for (const std::string& w : written) {
    const TableColumn* exact = nullptr;
    const TableColumn* folded = nullptr;
    for (const TableColumn& c : info.columns) {
      if (c.name == w) exact = &c;
      if (!folded && strcasecmp(c.name.c_str(), w.c_str()) == 0) folded = &c;
    }
    if (!exact) {
      return Status::Error(SR_SINK_E_SCHEMA,
                           "column `" + w + "` is not in " + name +
                               (folded ? " (did you mean `" + folded->name + "`?)" : ""));
    }
  }
  for (const TableColumn& c : info.columns) {
    if (!c.is_key) continue;
    bool found = false;
    for (const std::string& w : written) found = found || w == c.name;
    if (!found) {
      return Status::Error(SR_SINK_E_SCHEMA, "key column `" + c.name + "` of " + name +
                                                 " is not among the written columns");
    }
  }
  return Status::OK();
}

}  // namespace srs
