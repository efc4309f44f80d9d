#include "core/config.h"

#include <cstdlib>
#include <cstring>

namespace sremu {
namespace {

bool to_int(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end != '\0') return false;
  *out = v;
  return true;
}

std::string parse_users(const std::string& list, Config* cfg) {
  cfg->users.clear();
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) {
      size_t colon = item.find(':');
      if (colon == std::string::npos) return "--users entry '" + item.substr(0, 32) + "' has no ':' (user:password)";
      cfg->users.emplace_back(item.substr(0, colon), item.substr(colon + 1));
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (cfg->users.empty()) return "--users lists no user";
  return {};
}

}  // namespace

std::string parse_args(int argc, char** argv, Config* cfg) {
  bool be_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) -> bool {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    int64_t n = 0;
    if (a == "--help" || a == "-h") { cfg->help = true; continue; }
    if (a == "--version") { cfg->version = true; continue; }
    if (a == "--discard") { cfg->discard = true; continue; }
    if (a == "--follower") { cfg->follower = true; continue; }
    if (a == "--legacy-responses") { cfg->legacy_responses = true; continue; }
    if (!value(&v)) return "option " + a + " needs a value (or is unknown)";
    if (a == "--fe-port") {
      if (!to_int(v, &n) || n < 0 || n > 65535) return "--fe-port: not a port: " + v;
      cfg->fe_port = static_cast<int>(n);
    } else if (a == "--be-port") {
      if (!to_int(v, &n) || n < 0 || n > 65535) return "--be-port: not a port: " + v;
      if (!be_given) cfg->be_ports.clear();
      be_given = true;
      cfg->be_ports.push_back(static_cast<int>(n));
    } else if (a == "--query-port") {
      if (!to_int(v, &n) || n < 0 || n > 65535) return "--query-port: not a port: " + v;
      cfg->query_port = static_cast<int>(n);
    } else if (a == "--sr-version") {
      if (v.empty()) return "--sr-version: empty version";
      cfg->sr_version = v;
    } else if (a == "--bind") {
      cfg->bind = v;
    } else if (a == "--catalog") {
      cfg->catalog_file = v;
    } else if (a == "--data-dir") {
      cfg->data_dir = v;
    } else if (a == "--users") {
      std::string err = parse_users(v, cfg);
      if (!err.empty()) return err;
    } else {
      int64_t* target = nullptr;
      if (a == "--label-keep-max-num") target = &cfg->label_keep_max_num;
      else if (a == "--label-keep-max-second") target = &cfg->label_keep_max_second;
      else if (a == "--prepared-transaction-default-timeout-second") target = &cfg->prepared_txn_default_timeout_s;
      else if (a == "--max-running-txn-num-per-db") target = &cfg->max_running_txn_num_per_db;
      else if (a == "--streaming-load-max-mb") target = &cfg->streaming_load_max_mb;
      else if (a == "--streaming-load-max-batch-size-mb") target = &cfg->streaming_load_max_batch_size_mb;
      else if (a == "--stream-load-default-timeout-second") target = &cfg->stream_load_default_timeout_s;
      if (target == nullptr) return "unknown option " + a;
      if (!to_int(v, &n) || n < 0) return a + ": not a non-negative integer: " + v;
      *target = n;
    }
  }
  if (cfg->be_ports.empty()) cfg->be_ports.push_back(0);
  return {};
}

std::string usage() {
  return "Usage: sr-emulator [options]\n"
         "A StarRocks stand-in for tests: one FE and one or more BE HTTP servers on loopback.\n"
         "When ready it prints one line to stdout: {\"fe_port\":P,\"be_ports\":[Q],\"pid\":N}.\n"
         "A port already in use is an error (exit 1, no ready line); port 0 picks a free port.\n"
         "\n"
         "  --fe-port P                  FE HTTP port (default 0)\n"
         "  --be-port Q                  BE HTTP port; repeat for several BEs (default one BE on port 0)\n"
         "  --query-port P               MySQL protocol query port, like the FE's 9030 (0 picks; default none)\n"
         "  --sr-version V               what current_version() answers (default 3.3.5-emulator)\n"
         "  --bind ADDR                  IPv4 address to listen on (default 127.0.0.1)\n"
         "  --catalog FILE               databases and tables (JSON, see README)\n"
         "  --data-dir DIR               journal directory: state survives restarts\n"
         "  --users LIST                 user:password,... (default root with empty password)\n"
         "  --discard                    count and drop bodies (throughput benchmarks)\n"
         "  --follower                   the FE is a follower; a leader FE is also started\n"
         "  --legacy-responses           older StarRocks reply shapes (see README)\n"
         "  --label-keep-max-num N       remembered final labels (default 1000)\n"
         "  --label-keep-max-second S    label retention in seconds (default 259200)\n"
         "  --prepared-transaction-default-timeout-second S  PREPARED expiry (default 86400)\n"
         "  --max-running-txn-num-per-db N  running transactions per database (default 1000)\n"
         "  --streaming-load-max-mb N    body size limit of a load (default 102400)\n"
         "  --streaming-load-max-batch-size-mb N  JSON body size limit (default 100)\n"
         "  --stream-load-default-timeout-second S  default load timeout (default 600)\n"
         "  --help, -h                   this text\n"
         "  --version                    print the version\n";
}

std::string version_line() {
#ifdef SR_EMULATOR_VERSION
  return std::string("sr-emulator ") + SR_EMULATOR_VERSION + "\n";
#else
  return "sr-emulator unknown\n";
#endif
}

}  // namespace sremu
