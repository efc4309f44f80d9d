// parse_options (the JSON document of sr_sink_connector_add_sink): never a crash; an error always
// names what is wrong; an accepted document gives options within their documented ranges.
#include <string>

#include "fuzz_check.h"
#include "options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string doc(reinterpret_cast<const char*>(data), size);  // NUL-terminated copy
  auto r = srs::parse_options(doc.c_str());
  if (!r.ok()) {
    FUZZ_CHECK(!r.status().message().empty(), "an error without a message on `%s`", fuzz::show(doc).c_str());
    return 0;
  }
  const srs::Options& o = r.value();
  FUZZ_CHECK(!o.http_urls.empty(), "accepted without http_urls: `%s`", fuzz::show(doc).c_str());
  for (const auto& u : o.http_urls) {
    FUZZ_CHECK(u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0, "url `%s`", u.c_str());
    FUZZ_CHECK(u.back() != '/', "url `%s` keeps a trailing '/'", u.c_str());
  }
  FUZZ_CHECK(o.batch_max_bytes > 0 && o.batch_max_rows > 0, "batch limits on `%s`", fuzz::show(doc).c_str());
  FUZZ_CHECK(o.max_retries >= 0 && o.retry_backoff_ms >= 0, "retries on `%s`", fuzz::show(doc).c_str());
  FUZZ_CHECK(o.write_timeout_ms > 0 && o.connect_timeout_ms > 0 && o.request_timeout_ms > 0 && o.load_timeout_s > 0,
             "timeouts on `%s`", fuzz::show(doc).c_str());
  FUZZ_CHECK(!o.label_prefix.empty(), "empty label_prefix on `%s`", fuzz::show(doc).c_str());
  // Parsing is a function of the document: the same text gives the same options.
  auto again = srs::parse_options(doc.c_str());
  FUZZ_CHECK(again.ok() && again.value().properties == o.properties && again.value().http_urls == o.http_urls,
             "not deterministic");
  return 0;
}
