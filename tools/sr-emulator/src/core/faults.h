// Fault injection (EMULATOR-CONTRACT.md "POST /_emulator/faults"): a list of rules, each matching
// a point (+ optional label/table) and affecting `times` requests after letting `skip` through.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sremu {

struct Fault {
  int64_t id = 0;
  std::string point, label, table, action;
  int64_t skip = 0, times = 1, hits = 0;
  // Affect only every `every`-th matching request (after `skip`); the others pass untouched and
  // do not count against `times`. `seen` counts the matching requests.
  int64_t every = 1, seen = 0;
  // action parameters
  int code = 500;
  std::string body, status, message, extra_json;  // extra_json: an object's members, "" if none
  int64_t after_bytes = 0, ms = 0;
  int64_t publish_delay_s = 5;  // publish_timeout: emulated seconds until VISIBLE
  std::string definition;       // the JSON as posted (for GET)
};

class Faults {
 public:
  // Parses and adds a rule; returns its id, or sets *error.
  std::optional<int64_t> add(const std::string& json, std::string* error);
  void clear();
  std::string list_json();
  // The rule that affects this request at `point`, if any (consumes one skip/times).
  // `actions` restricts which actions this call site can perform (empty = any).
  std::optional<Fault> take(const std::string& point, const std::string& label, const std::string& db_table,
                            const std::set<std::string>& actions = {});

 private:
  std::mutex mu_;
  std::vector<Fault> faults_;
  int64_t next_id_ = 1;
};

}  // namespace sremu
