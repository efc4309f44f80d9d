// Command-line configuration (see EMULATOR-CONTRACT.md); defaults are StarRocks' (spec §11).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sremu {

struct Config {
  int fe_port = 0;
  std::vector<int> be_ports;
  std::string bind = "127.0.0.1";
  std::string catalog_file;
  std::string data_dir;
  std::vector<std::pair<std::string, std::string>> users{{"root", ""}};
  bool discard = false;
  bool follower = false;
  bool legacy_responses = false;  // ≈2.3–3.2 reply shapes (see README)
  int64_t label_keep_max_num = 1000;
  int64_t label_keep_max_second = 259200;
  int64_t prepared_txn_default_timeout_s = 86400;
  int64_t max_running_txn_num_per_db = 1000;
  int64_t streaming_load_max_mb = 102400;
  int64_t streaming_load_max_batch_size_mb = 100;
  int64_t stream_load_default_timeout_s = 600;
  int query_port = -1;                          // MySQL protocol query port; -1 = none, 0 = pick
  std::string sr_version = "3.3.5-emulator";    // current_version(), @@version_comment
  std::string mysql_server_version = "8.0.33";  // the handshake's server version and @@version (as StarRocks 3.x)
  bool help = false;     // --help: print usage() and exit 0
  bool version = false;  // --version: print version_line() and exit 0
};

// Parses argv; on error returns the message (names the bad option).
std::string parse_args(int argc, char** argv, Config* cfg);

// The --help text: every option, one line each.
std::string usage();
// One line: "sr-emulator <version>".
std::string version_line();

}  // namespace sremu
