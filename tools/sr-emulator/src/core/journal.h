// Append-only journal under --data-dir: one JSON object per line. Prepare and commit records are
// fsync'ed before the client hears OK, so PREPARED and committed data survive SIGKILL; a torn
// last line (killed mid-write) is ignored and cut off at the next start.
#pragma once
#include <cjson/cJSON.h>

#include <string>
#include <vector>

#include "data/data.h"

namespace sremu {

class Journal {
 public:
  ~Journal();
  // Opens (creating) DIR/journal.jsonl and returns its complete lines for replay.
  std::string open(const std::string& dir, std::vector<std::string>* lines);
  bool enabled() const { return fd_ >= 0; }
  // Appends one record (a JSON object without newline). `sync` = fdatasync before returning.
  void append(const std::string& record, bool sync);
  void close();

 private:
  int fd_ = -1;
};

// Rows as [[op,"presence bits",[values as JSON strings]],...]; values are canonical fragments.
std::string rows_to_json(const std::vector<Row>& rows);
bool rows_from_json(const cJSON* arr, std::vector<Row>* rows);

}  // namespace sremu
