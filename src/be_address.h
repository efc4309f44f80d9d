// Option `be_address_map`: BE addresses as the FE advertises them (307 Location, ErrorURL) →
// addresses this host can reach. StarRocks names a BE by the address it registered with, which
// is often unreachable from the client: a Kubernetes service name, Docker's internal address,
// a private address behind NAT.
//
// Entries: "host:port" → "host:port" or "host" (the port is kept), and "host" → "host" (any port
// of that host; the port is kept). An entry with a port wins over a host-only one. Host names
// compare case-insensitively; IPv6 literals are written bracketed ("[fd00::1]:8040").
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "status.h"

struct cJSON;

namespace srs {

using BeAddressMap = std::vector<std::pair<std::string, std::string>>;  // normalised entries

// Parses the option's JSON object; errors are SR_SINK_E_CONFIG naming the entry.
Status parse_be_address_map(const cJSON* value, BeAddressMap* out);

// `url` ("http://be-0.svc:8040/api/...") with its authority mapped; unchanged when no entry
// matches or the URL has no authority.
std::string map_be_address(const std::string& url, const BeAddressMap& map);

}  // namespace srs
