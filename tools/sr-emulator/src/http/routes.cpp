#include "http/routes.h"

#include <vector>

#include "fe/admin.h"
#include "be/be_stream_load.h"
#include "be/be_txn.h"
#include "fe/fe.h"
#include "fe/schema_api.h"

namespace sremu {
namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// Error logs are files on the BE that ran the load: only that BE serves them.
class ErrorLog : public SimpleHandler {
 public:
  ErrorLog(Emulator& emu, int be_port) : emu_(emu), be_port_(be_port) {}
  Response on_complete(Request& req) override {
    auto text = emu_.error_log(req.arg("file"), be_port_);
    if (!text) return Response::text(404, "Not Found");
    return Response::text(200, *text);
  }

 private:
  Emulator& emu_;
  int be_port_;
};

// A StarRocks BE (EvHttpServer) answers a path it has no handler for in the header phase, before
// any body byte (it drops `Expect`, so no 100 Continue): GET falls through to the web UI's static
// file handler, whose missing file is libevent's evhttp_send_error page; other methods get
// send_reply(404, "Not Found"). FE-only endpoints (schema, SQL API, get_load_state, _cancel)
// therefore answer 404 on a BE port, never a JSON error.
class BeNotFound : public Handler {
 public:
  std::optional<Response> on_headers(Request& req) override {
    Response r;
    r.status = 404;
    if (req.method == "GET" || req.method == "HEAD") {
      r.body = "<HTML><HEAD>\n<TITLE>404 Not Found</TITLE>\n</HEAD><BODY>\n<H1>Not Found</H1>\n</BODY></HTML>\n";
      r.headers.emplace_back("Content-Type", "text/html");
      r.close = true;
    } else {
      r.body = "Not Found";
      r.headers.emplace_back("Content-Type", "text/html; charset=ISO-8859-1");
    }
    return r;
  }
  Response on_complete(Request&) override { return Response::text(404, "Not Found"); }  // not reached
};

bool any_of(const std::string& m, std::initializer_list<const char*> methods) {
  for (const char* x : methods) {
    if (m == x) return true;
  }
  return false;
}

std::unique_ptr<Handler> route_fe(Emulator& emu, Request& req) {
  auto p = split(req.path);
  const std::string& m = req.method;
  if (!p.empty() && p[0] == "_emulator") return make_admin(emu, req);
  if (p.size() < 2 || p[0] != "api") return nullptr;
  if (p.size() == 3 && p[1] == "transaction" && any_of(m, {"POST", "PUT"})) return make_fe_txn(emu, p[2]);
  if (p.size() == 4 && p[3] == "_stream_load" && m == "PUT") return make_fe_stream_load(emu, p[1], p[2]);
  if (p.size() == 3 && p[2] == "get_load_state" && m == "GET") return make_get_load_state(emu, p[1]);
  if (p.size() == 4 && p[3] == "_cancel" && m == "POST") return make_cancel(emu, p[1], p[2]);
  if (p.size() == 4 && p[3] == "_schema" && m == "GET") return make_legacy_schema(emu, p[1], p[2]);
  if (p.size() == 9 && p[1] == "v2" && p[2] == "catalogs" && p[4] == "databases" && p[6] == "tables" &&
      p[8] == "schema" && m == "GET") {
    return make_v2_schema(emu, p[3], p[5], p[7]);
  }
  if (p.size() == 5 && p[1] == "v1" && p[2] == "catalogs" && p[4] == "sql" && m == "POST") {
    return make_sql_api(emu, p[3], "");
  }
  if (p.size() == 7 && p[1] == "v1" && p[2] == "catalogs" && p[4] == "databases" && p[6] == "sql" && m == "POST") {
    return make_sql_api(emu, p[3], p[5]);
  }
  return nullptr;
}

std::unique_ptr<Handler> route_be(Emulator& emu, Request& req) {
  auto p = split(req.path);
  const std::string& m = req.method;
  if (p.size() < 2 || p[0] != "api") return std::make_unique<BeNotFound>();
  if (p.size() == 3 && p[1] == "transaction") {
    const std::string& op = p[2];
    if (op == "load" ? m == "PUT" : any_of(m, {"POST", "PUT"})) {
      if (op == "begin" || op == "load" || op == "prepare" || op == "commit" || op == "rollback" || op == "list") {
        return make_be_txn(emu, op);
      }
    }
    return std::make_unique<BeNotFound>();
  }
  if (p.size() == 4 && p[3] == "_stream_load" && m == "PUT") return make_be_stream_load(emu, p[1], p[2]);
  if (p.size() == 2 && p[1] == "_load_error_log" && m == "GET") return std::make_unique<ErrorLog>(emu, req.local_port);
  return std::make_unique<BeNotFound>();
}

}  // namespace

Router make_router(Emulator& emu, Role role) {
  if (role == Role::kBe) return [&emu](Request& req) { return route_be(emu, req); };
  return [&emu](Request& req) { return route_fe(emu, req); };
}

}  // namespace sremu
