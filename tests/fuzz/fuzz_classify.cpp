// The StarRocks reply classifier (every Stream Load / transaction reply, and get_load_state):
// never a crash on any body and any HTTP status; a reply that is not a JSON object never counts
// as a success (a garbled reply must be settled with get_load_state, not trusted).
#include <cjson/cJSON.h>

#include <string>

#include "classify.h"
#include "fuzz_check.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  static const int kStatus[] = {200, 200, 200, 200, 307, 400, 401, 403, 404, 500, 502, 503, 504, 0};
  const int http = kStatus[in.byte() % (sizeof kStatus / sizeof kStatus[0])];
  const std::string body(in.rest());
  const srs::LoadReply r = srs::classify_load_reply(http, body);
  cJSON* j = cJSON_ParseWithLength(body.data(), body.size());
  const bool object = j != nullptr && cJSON_IsObject(j);
  cJSON_Delete(j);
  if (!object) {
    FUZZ_CHECK(r.outcome != srs::Outcome::kSuccess && r.outcome != srs::Outcome::kAlreadyFinished,
               "a reply that is not a JSON object counts as done (%d, http %d): `%s`", static_cast<int>(r.outcome),
               http, fuzz::show(body).c_str());
  }
  std::string err;
  const std::string state = srs::parse_load_state(http, body, &err);
  FUZZ_CHECK(!state.empty() || !err.empty(), "get_load_state: neither a state nor an error on `%s`",
             fuzz::show(body).c_str());
  return 0;
}
