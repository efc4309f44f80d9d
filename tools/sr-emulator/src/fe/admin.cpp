#include "fe/admin.h"

#include "core/json_util.h"

namespace sremu {
namespace {

Response error(int code, const std::string& msg) { return Response::json(code, JsonObject().str("error", msg).done()); }
Response ok() { return Response::json(200, "{\"ok\":true}"); }

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

class Admin : public SimpleHandler {
 public:
  explicit Admin(Emulator& emu) : emu_(emu) {}

  Response on_complete(Request& req) override {
    auto parts = split_path(req.path);  // "_emulator", ...
    const std::string& m = req.method;
    if (parts.size() == 2 && parts[1] == "tables" && m == "POST") return create_table(req);
    if (parts.size() == 4 && parts[1] == "tables" && m == "DELETE") return drop_table(parts[2], parts[3]);
    if (parts.size() == 5 && parts[1] == "tables" && parts[4] == "rows" && m == "GET") return rows(parts[2], parts[3]);
    if (parts.size() == 2 && parts[1] == "stats" && m == "GET") return Response::json(200, emu_.stats_json());
    if (parts.size() == 2 && parts[1] == "faults") {
      if (m == "GET") return Response::json(200, emu_.faults.list_json());
      if (m == "DELETE") {
        emu_.faults.clear();
        return ok();
      }
      if (m == "POST") {
        std::string err;
        auto id = emu_.faults.add(req.body, &err);
        if (!id) return error(400, err);
        return Response::json(200, JsonObject().num("id", *id).done());
      }
    }
    if (parts.size() == 2 && parts[1] == "clock" && m == "POST") return clock(req);
    if (parts.size() == 2 && parts[1] == "users" && m == "POST") return user(req);
    return error(404, "no admin endpoint " + m + " " + req.path);
  }

 private:
  Response create_table(Request& req) {
    CJsonDoc doc(cJSON_Parse(req.body.c_str()));
    if (!cJSON_IsObject(doc.root)) return error(400, "body must be a JSON object");
    std::string db = json_get_string(doc.root, "db").value_or("");
    std::string name = json_get_string(doc.root, "table").value_or("");
    std::unique_ptr<TableStore> t;
    std::string err = Catalog::table_from_json(db, name, doc.root, &t);
    if (!err.empty()) return error(400, err);
    std::string def = t->definition;
    std::lock_guard<std::mutex> lock(emu_.mu);
    if (!emu_.catalog.create_table(std::move(t)).empty()) return error(409, "table " + db + "." + name + " exists");
    emu_.journal.append(JsonObject().str("t", "table").str("db", db).str("table", name).raw("def", def).done(), true);
    return ok();
  }

  Response drop_table(const std::string& db, const std::string& name) {
    std::lock_guard<std::mutex> lock(emu_.mu);
    if (!emu_.catalog.drop_table(db, name)) return error(404, "no table " + db + "." + name);
    emu_.journal.append(JsonObject().str("t", "drop").str("db", db).str("table", name).done(), true);
    return ok();
  }

  Response rows(const std::string& db, const std::string& name) {
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.tick_locked();  // delayed publishes become visible before the dump
    TableStore* t = emu_.catalog.table(db, name);
    if (t == nullptr) return error(404, "no table " + db + "." + name);
    Response r;
    r.body = dump_rows(*t);
    r.headers.emplace_back("Content-Type", "application/x-ndjson");
    return r;
  }

  Response clock(Request& req) {
    CJsonDoc doc(cJSON_Parse(req.body.c_str()));
    const cJSON* adv = doc.root ? cJSON_GetObjectItemCaseSensitive(doc.root, "advance_s") : nullptr;
    if (!cJSON_IsNumber(adv) || !(adv->valuedouble >= 0 && adv->valuedouble <= 1e10)) {
      return error(400, "body must be {\"advance_s\": <seconds, 0..1e10>}");
    }
    std::lock_guard<std::mutex> lock(emu_.mu);
    double now = emu_.advance_clock(adv->valuedouble);
    emu_.tick_locked();
    return Response::json(200, JsonObject().num("now", static_cast<int64_t>(now)).done());
  }

  Response user(Request& req) {
    CJsonDoc doc(cJSON_Parse(req.body.c_str()));
    auto name = doc.root ? json_get_string(doc.root, "user") : std::nullopt;
    auto password = doc.root ? json_get_string(doc.root, "password") : std::nullopt;
    if (!name || name->empty() || !password) return error(400, "body must be {\"user\":..,\"password\":..}");
    std::lock_guard<std::mutex> lock(emu_.mu);
    emu_.users[*name] = *password;
    // "insert": false makes a user that may read schemas but not load (privilege tests).
    if (json_get_bool(doc.root, "insert").value_or(true)) emu_.no_insert.erase(*name);
    else emu_.no_insert.insert(*name);
    return ok();
  }

  Emulator& emu_;
};

}  // namespace

std::unique_ptr<Handler> make_admin(Emulator& emu, const Request&) { return std::make_unique<Admin>(emu); }

}  // namespace sremu
