#include "core/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/json_util.h"

namespace sremu {

Journal::~Journal() { close(); }

void Journal::close() {
  if (fd_ >= 0) {
    ::fdatasync(fd_);
    ::close(fd_);
    fd_ = -1;
  }
}

std::string Journal::open(const std::string& dir, std::vector<std::string>* lines) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return "cannot create --data-dir " + dir + ": " + std::strerror(errno);
  }
  std::string path = dir + "/journal.jsonl";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot open " + path + ": " + std::strerror(errno);
  std::string content;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return "cannot read " + path + ": " + std::strerror(errno);
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
  }
  size_t complete = content.rfind('\n');
  complete = complete == std::string::npos ? 0 : complete + 1;
  if (complete != content.size()) {
    // A torn record from a crash mid-append: it was never acknowledged, drop it.
    if (::ftruncate(fd, static_cast<off_t>(complete)) != 0) {
      ::close(fd);
      return "cannot truncate torn tail of " + path;
    }
  }
  size_t start = 0;
  while (start < complete) {
    size_t nl = content.find('\n', start);
    if (nl > start) lines->push_back(content.substr(start, nl - start));
    start = nl + 1;
  }
  ::lseek(fd, 0, SEEK_END);
  fd_ = fd;
  return {};
}

void Journal::append(const std::string& record, bool sync) {
  if (fd_ < 0) return;
  std::string line = record + "\n";
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "sr-emulator: journal write failed: %s\n", std::strerror(errno));
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (sync) ::fdatasync(fd_);
}

std::string rows_to_json(const std::vector<Row>& rows) {
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (i) out.push_back(',');
    out += "[" + std::to_string(r.op) + ",\"";
    for (size_t c = 0; c < r.values.size(); ++c) out.push_back(c < r.present.size() && !r.present[c] ? '0' : '1');
    out += "\",[";
    for (size_t c = 0; c < r.values.size(); ++c) {
      if (c) out.push_back(',');
      json_quote(r.values[c], &out);
    }
    out += "]]";
  }
  return out + "]";
}

bool rows_from_json(const cJSON* arr, std::vector<Row>* rows) {
  if (!cJSON_IsArray(arr)) return false;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, arr) {
    if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) != 3) return false;
    const cJSON* op = cJSON_GetArrayItem(item, 0);
    const cJSON* bits = cJSON_GetArrayItem(item, 1);
    const cJSON* vals = cJSON_GetArrayItem(item, 2);
    if (!cJSON_IsNumber(op) || !cJSON_IsString(bits) || !cJSON_IsArray(vals)) return false;
    Row r;
    r.op = op->valueint;
    const cJSON* v = nullptr;
    cJSON_ArrayForEach(v, vals) {
      if (!cJSON_IsString(v)) return false;
      r.values.emplace_back(v->valuestring);
    }
    std::string b = bits->valuestring;
    for (size_t c = 0; c < r.values.size(); ++c) r.present.push_back(c >= b.size() || b[c] == '1');
    rows->push_back(std::move(r));
  }
  return true;
}

}  // namespace sremu
