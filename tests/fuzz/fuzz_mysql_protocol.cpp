// sr-emulator's MySQL protocol query port on outside input: the bytes a client sends (handshake
// response, then commands: COM_QUERY with SQL text, COM_INIT_DB, COM_FIELD_LIST, ...) go through
// a socketpair into the real connection handler (serve_mysql_connection) of a fresh emulator with
// one table; user root has the empty password, so an empty auth response logs in and the SQL
// engine is reached. Never a crash, a leak or a hang: the handler returns once the input ends.
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cjson/cJSON.h>
#include <memory>
#include <string>
#include <thread>

#include "core/emulator.h"
#include "fuzz_check.h"
#include "mysql/server.h"

namespace {
const char kTable[] =
    R"J({"keys_type":"PRIMARY_KEYS","columns":[{"name":"id","type":"BIGINT","key":true,"nullable":false},)J"
    R"J({"name":"name","type":"VARCHAR(64)"},{"name":"qty","type":"INT"}]})J";
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  signal(SIGPIPE, SIG_IGN);  // the handler writes to a peer that may be gone
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sremu::Config cfg;
  cfg.users = {{"root", ""}, {"alice", "pw"}};
  sremu::Emulator emu(cfg);
  {
    cJSON* def = cJSON_Parse(kTable);
    std::unique_ptr<sremu::TableStore> t;
    std::string err = sremu::Catalog::table_from_json("shop", "orders", def, &t);
    cJSON_Delete(def);
    FUZZ_CHECK(err.empty(), "table: %s", err.c_str());
    emu.catalog.create_table(std::move(t));
  }
  int sv[2];
  FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
  std::thread writer([&] {
    size_t off = 0;
    while (off < size) {
      ssize_t w = send(sv[1], data + off, size - off, MSG_NOSIGNAL);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
    shutdown(sv[1], SHUT_WR);
  });
  std::thread drain([&] {
    char buf[4096];
    while (read(sv[1], buf, sizeof buf) > 0) {
    }
  });
  std::atomic<bool> stopping{false};
  sremu::serve_mysql_connection(emu, sv[0], 1, "127.0.0.1:1", stopping);
  shutdown(sv[0], SHUT_RDWR);
  writer.join();
  drain.join();
  close(sv[0]);
  close(sv[1]);
  return 0;
}
