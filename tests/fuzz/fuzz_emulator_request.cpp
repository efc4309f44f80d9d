// sr-emulator's request handling on outside input, in process (no sockets): each input is a
// sequence of requests separated by '\x1e', each "<role> <METHOD> <path>[?query]" (role F = FE,
// L = leader FE, B = BE), "name: value" header lines, an empty line, the body. Every request goes
// through the real router and handler phases (headers, body in two chunks, completion) of a fresh
// emulator with one table, so a sequence can walk a transaction through begin/load/prepare/commit
// or arm faults. Never a crash; every reply is a well-formed response.
#include <cjson/cJSON.h>

#include <cctype>
#include <memory>
#include <string>

#include "core/emulator.h"
#include "fuzz_check.h"
#include "http/routes.h"
#include "http/server.h"

using fuzz::show;

namespace {
const char kTable[] =
    R"J({"keys_type":"PRIMARY_KEYS","columns":[{"name":"id","type":"BIGINT","key":true,"nullable":false},)J"
    R"J({"name":"name","type":"VARCHAR(64)"},{"name":"qty","type":"INT"},{"name":"j","type":"JSON"}]})J";

void run_one(sremu::Emulator& emu, std::string_view in) {
  size_t eol = in.find('\n');
  std::string_view first = in.substr(0, eol);
  in.remove_prefix(eol == std::string_view::npos ? in.size() : eol + 1);
  if (first.size() < 2) return;
  sremu::Request req;
  req.role = first[0] == 'B' ? sremu::Role::kBe : first[0] == 'L' ? sremu::Role::kLeaderFe : sremu::Role::kFe;
  req.be_index = req.role == sremu::Role::kBe ? 0 : -1;
  req.local_port = req.role == sremu::Role::kBe ? emu.be_ports[0] : emu.fe_port;
  req.version = "HTTP/1.1";
  first.remove_prefix(first[1] == ' ' ? 2 : 1);
  size_t sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  std::string target(sp == std::string_view::npos ? std::string_view() : first.substr(sp + 1));
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) {
    req.raw_query = target.substr(q + 1);
    size_t start = 0;
    while (start <= req.raw_query.size()) {
      size_t amp = req.raw_query.find('&', start);
      if (amp == std::string::npos) amp = req.raw_query.size();
      std::string kv = req.raw_query.substr(start, amp - start);
      size_t eq = kv.find('=');
      if (!kv.empty()) req.query[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
      start = amp + 1;
    }
  }
  while (!in.empty()) {
    eol = in.find('\n');
    std::string_view line = in.substr(0, eol);
    in.remove_prefix(eol == std::string_view::npos ? in.size() : eol + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value(colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1));
    while (!value.empty() && value[0] == ' ') value.erase(0, 1);
    req.headers[name] = value;
  }
  sremu::Router router = sremu::make_router(emu, req.role);
  std::unique_ptr<sremu::Handler> h = router(req);
  if (!h) return;
  std::optional<sremu::Response> early = h->on_headers(req);
  sremu::Response resp;
  if (early) {
    resp = *early;
  } else {
    const size_t half = in.size() / 2;
    bool ok = h->on_data(req, in.data(), half);
    req.body_bytes = half;
    if (ok) {
      ok = h->on_data(req, in.data() + half, in.size() - half);
      req.body_bytes = in.size();
    }
    if (!ok) {
      h->on_aborted(req);
      return;
    }
    resp = h->on_complete(req);
    if (resp.kind != sremu::Response::Kind::kReply) h->on_aborted(req);
  }
  if (resp.kind == sremu::Response::Kind::kReply) {
    FUZZ_CHECK(resp.status >= 100 && resp.status <= 599, "HTTP status %d for %s %s", resp.status, req.method.c_str(),
               show(req.path).c_str());
  }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Fault delays and hangs return at once (as at shutdown): the fuzzer must not sleep.
  sremu::HttpServer::shutting_down().store(true);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sremu::Config cfg;
  cfg.be_ports = {1};
  cfg.users = {{"root", ""}, {"alice", "pw"}};
  sremu::Emulator emu(cfg);
  emu.fe_port = 2;
  emu.be_ports = {3};
  {
    cJSON* def = cJSON_Parse(kTable);
    std::unique_ptr<sremu::TableStore> t;
    std::string err = sremu::Catalog::table_from_json("shop", "orders", def, &t);
    cJSON_Delete(def);
    FUZZ_CHECK(err.empty(), "table: %s", err.c_str());
    emu.catalog.create_table(std::move(t));
  }
  std::string_view in(reinterpret_cast<const char*>(data), size);
  int n = 0;
  while (!in.empty() && n++ < 16) {
    size_t sep = in.find('\x1e');
    run_one(emu, in.substr(0, sep));
    in.remove_prefix(sep == std::string_view::npos ? in.size() : sep + 1);
  }
  return 0;
}
