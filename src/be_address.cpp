#include "be_address.h"

#include <cjson/cJSON.h>

#include <cctype>

namespace srs {
namespace {

Status entry_error(const std::string& entry, const std::string& why) {
  return Status::Error(SR_SINK_E_CONFIG, "option `be_address_map`: entry `" + entry + "` " + why);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Splits "host[:port]" ("[v6]:port" too). False if malformed.
bool split(const std::string& a, std::string* host, std::string* port) {
  if (a.empty()) return false;
  size_t colon = std::string::npos;
  if (a[0] == '[') {
    size_t close = a.find(']');
    if (close == std::string::npos || close == 1) return false;
    if (close + 1 < a.size()) {
      if (a[close + 1] != ':') return false;
      colon = close + 1;
    }
  } else {
    colon = a.find(':');
    if (colon != std::string::npos && a.find(':', colon + 1) != std::string::npos) return false;
  }
  *host = colon == std::string::npos ? a : a.substr(0, colon);
  *port = colon == std::string::npos ? "" : a.substr(colon + 1);
  if (host->empty()) return false;
  for (unsigned char c : *host) {
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '[' || c == ']' || c == ':')) {
      return false;
    }
  }
  if (colon != std::string::npos) {
    if (port->empty() || port->size() > 5 || port->find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    int p = std::stoi(*port);
    if (p < 1 || p > 65535) return false;
  }
  return true;
}

}  // namespace

Status parse_be_address_map(const cJSON* value, BeAddressMap* out) {
  if (!cJSON_IsObject(value)) {
    return Status::Error(SR_SINK_E_CONFIG,
                         "option `be_address_map`: must be an object of \"host[:port]\": "
                         "\"host[:port]\" strings");
  }
  out->clear();
  const cJSON* item;
  cJSON_ArrayForEach(item, value) {
    const std::string from = item->string ? item->string : "";
    if (!cJSON_IsString(item) || !item->valuestring) return entry_error(from, "must map to a string");
    const std::string to = item->valuestring;
    std::string fh, fp, th, tp;
    if (!split(from, &fh, &fp)) return entry_error(from, "is not host or host:port");
    if (!split(to, &th, &tp)) {
      return entry_error(from, "maps to `" + to + "`, which is not host or host:port");
    }
    if (fp.empty() && !tp.empty()) {
      return entry_error(from, "names no port, so it covers every port of the host and must map "
                               "to a host without a port (the port is kept)");
    }
    const std::string key = lower(fh) + (fp.empty() ? "" : ":" + fp);
    for (const auto& e : *out) {
      if (e.first == key) return entry_error(from, "is given twice");
    }
    out->emplace_back(key, to);
  }
  return Status::OK();
}

std::string map_be_address(const std::string& url, const BeAddressMap& map) {
  if (map.empty()) return url;
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return url;
  const size_t start = sep + 3;
  size_t end = url.find_first_of("/?#", start);
  if (end == std::string::npos) end = url.size();
  const std::string authority = url.substr(start, end - start);
  if (authority.find('@') != std::string::npos) return url;  // never rewrite userinfo URLs
  std::string host, port;
  if (!split(authority, &host, &port)) return url;
  host = lower(host);
  const std::string exact = port.empty() ? host : host + ":" + port;
  const std::pair<std::string, std::string>* hit = nullptr;
  for (const auto& e : map) {
    if (e.first == exact) {
      hit = &e;
      break;
    }
    if (!hit && e.first == host) hit = &e;
  }
  if (!hit) return url;
  std::string th, tp;
  split(hit->second, &th, &tp);
  const std::string mapped = tp.empty() ? (port.empty() ? th : th + ":" + port) : hit->second;
  return url.substr(0, start) + mapped + url.substr(end);
}

}  // namespace srs
