#include "fe/schema_api.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "core/json_util.h"
#include "be/load_common.h"
#include "sql/schema_types.h"
#include "http/server.h"

namespace sremu {
namespace {

// Applies fault actions on schema endpoints (they answer directly).
std::optional<Response> schema_fault(Emulator& emu, const std::string& point, const std::string& db_table) {
  auto f = emu.faults.take(point, "", db_table, {"http_status", "reply", "delay", "hang", "drop", "not_master"});
  if (!f) return std::nullopt;
  if (f->action == "http_status") return Response::json(f->code, f->body);
  if (f->action == "reply") return Response::json(200, rest_result(false, f->message));
  if (f->action == "delay") interruptible_sleep_ms(f->ms);
  if (f->action == "hang") return Response::hang();
  if (f->action == "drop") return Response::drop();
  if (f->action == "not_master") return Response::json(503, rest_result(false, "non-master FE can not read!"));
  return std::nullopt;
}

// ---- GET /api/{db}/{table}/_schema ----
class LegacySchema : public SimpleHandler {
 public:
  LegacySchema(Emulator& emu, std::string db, std::string table) : emu_(emu), db_(std::move(db)), table_(std::move(table)) {}
  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    if (auto denied = fe_auth(emu_, req)) return denied;
    if (auto r = schema_fault(emu_, "schema_legacy", db_ + "." + table_)) return r;
    std::lock_guard<std::mutex> lock(emu_.mu);
    auto err = [](int code, const std::string& msg) {
      return Response::json(code, JsonObject().num("status", code).str("exception", msg).done());
    };
    if (db_.empty() || table_.empty()) return err(400, "No database or table selected.");
    if (emu_.catalog.db(db_) == nullptr) return err(404, "Database [" + db_ + "] does not exists");
    TableStore* t = emu_.catalog.table(db_, table_);
    if (t == nullptr) return err(404, "Table [" + table_ + "] does not exists");
    std::string props = "[";
    for (size_t i = 0; i < t->schema.columns.size(); ++i) {
      const Column& c = t->schema.columns[i];
      JsonObject o;
      o.str("name", c.name).str("type", primitive_name(c.type)).str("comment", "");
      if (c.type.kind == TypeKind::kDecimal) {
        o.str("precision", std::to_string(c.type.precision)).str("scale", std::to_string(c.type.scale));
      }
      props += (i ? "," : "") + o.done();
    }
    return Response::json(200, JsonObject().num("status", 200).raw("properties", props + "]").done());
  }
  Response on_complete(Request&) override { return Response::text(500, "unreachable"); }

 private:
  Emulator& emu_;
  std::string db_, table_;
};

// ---- GET /api/v2/catalogs/{catalog}/databases/{db}/tables/{table}/schema ----
class V2Schema : public SimpleHandler {
 public:
  V2Schema(Emulator& emu, std::string catalog, std::string db, std::string table)
      : emu_(emu), catalog_(std::move(catalog)), db_(std::move(db)), table_(std::move(table)) {}
  std::optional<Response> on_headers(Request& req) override {
    emu_.requests++;
    if (auto denied = fe_auth(emu_, req)) return denied;
    if (auto r = schema_fault(emu_, "schema_v2", db_ + "." + table_)) return r;
    auto err = [](int code, const std::string& msg) {
      return Response::json(code, JsonObject().str("code", std::to_string(code)).str("message", msg).done());
    };
    if (catalog_ != "default_catalog") return err(404, "Catalog [" + catalog_ + "] does not exist");
    std::lock_guard<std::mutex> lock(emu_.mu);
    if (emu_.catalog.db(db_) == nullptr) return err(404, "Database [" + db_ + "] does not exist");
    TableStore* t = emu_.catalog.table(db_, table_);
    if (t == nullptr) return err(404, "Table [" + table_ + "] does not exist");
    const TableSchema& s = t->schema;
    std::string cols = "[";
    for (size_t i = 0; i < s.columns.size(); ++i) {
      const Column& c = s.columns[i];
      JsonObject o;
      o.str("name", c.name).raw("type", v2_type_json(c.type));
      if (!c.key && s.keys_type == "AGG_KEYS") o.str("aggregationType", "REPLACE");
      else if (!c.key && (s.keys_type == "PRIMARY_KEYS" || s.keys_type == "UNIQUE_KEYS")) o.str("aggregationType", "REPLACE");
      else o.null("aggregationType");
      o.boolean("isKey", c.key).boolean("isAllowNull", c.nullable).boolean("isAutoIncrement", false);
      if (c.default_value) o.str("defaultValueType", "CONST").str("defaultValue", *c.default_value);
      else o.str("defaultValueType", "NULL").null("defaultValue");
      o.null("defaultExpr").str("comment", "").num("uniqueId", static_cast<int64_t>(i));
      cols += (i ? "," : "") + o.done();
    }
    cols += "]";
    std::string keys = "[";
    for (size_t i = 0; i < t->key_idx.size(); ++i) keys += (i ? "," : "") + json_quote(s.columns[t->key_idx[i]].name);
    keys += "]";
    const int64_t index_id = t->id + 1;
    std::string index_meta = JsonObject().num("indexId", index_id).str("indexName", s.name).num("schemaVersion", 0)
                                 .num("schemaHash", 0).num("shortKeyColumnCount", static_cast<int64_t>(t->key_idx.size()))
                                 .str("storageType", "COLUMN").str("keysType", s.keys_type).raw("columns", cols).done();
    std::string result =
        JsonObject()
            .num("id", t->id).str("name", s.name).str("tableType", "OLAP").str("keysType", s.keys_type)
            .str("comment", "").num("createTime", 0).raw("columns", cols).raw("indexMetas", "[" + index_meta + "]")
            .raw("partitionInfo", JsonObject().str("type", "UNPARTITIONED").done())
            .raw("defaultDistributionInfo",
                 JsonObject().str("type", "HASH").num("bucketNum", 1).raw("distributionColumns", keys).done())
            .null("colocateGroup").raw("indexes", "[]").num("baseIndexId", index_id).num("maxIndexId", index_id)
            .num("maxColUniqueId", static_cast<int64_t>(s.columns.size()) - 1)
            .raw("properties", "{\"replication_num\":\"1\"}")
            .done();
    return Response::json(200, JsonObject().str("code", "0").str("message", "OK").raw("result", result).done());
  }
  Response on_complete(Request&) override { return Response::text(500, "unreachable"); }

 private:
  Emulator& emu_;
  std::string catalog_, db_, table_;
};

}  // namespace

std::unique_ptr<Handler> make_legacy_schema(Emulator& emu, const std::string& db, const std::string& table) {
  return std::make_unique<LegacySchema>(emu, db, table);
}
std::unique_ptr<Handler> make_v2_schema(Emulator& emu, const std::string& catalog, const std::string& db,
                                        const std::string& table) {
  return std::make_unique<V2Schema>(emu, catalog, db, table);
}

}  // namespace sremu
