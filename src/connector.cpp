#include "connector.h"

#include "glob.h"
#include "sink.h"

namespace srs {

Connector::~Connector() {
  // sr_sink_connector_free with sinks still open: close them (nothing else may run now).
  std::set<Sink*> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    left.swap(sinks_);
  }
  for (Sink* s : left) {
    s->close();
    delete s;
  }
}

Status Connector::add_sink(const std::string& glob, const char* options_json,
                           std::unique_ptr<CredentialsProvider> credentials,
                           std::unique_ptr<RejectedRowsConsumer> rejected) {
  SRS_RETURN_IF_ERROR(validate_glob(glob));
  Result<Options> options = parse_options(options_json);
  if (!options.ok()) return options.status();
  auto reg = std::make_unique<Registration>();
  reg->glob = glob;
  reg->options = std::move(options.value());
  reg->credentials = std::move(credentials);
  reg->rejected = std::move(rejected);
  reg->budget = std::make_unique<Budget>(reg->options.memory_budget_bytes);
  registrations_.push_back(std::move(reg));
  return Status::OK();
}

Result<Sink*> Connector::open(const OpenParams& params) {
  const Registration* match = nullptr;
  for (const auto& reg : registrations_) {
    if (glob_match(reg->glob, params.table)) {
      match = reg.get();
      break;
    }
  }
  if (!match) {
    std::string globs;
    for (const auto& reg : registrations_) globs += (globs.empty() ? "" : ", ") + reg->glob;
    return Status::Error(SR_SINK_E_NO_ROUTE, "no registered sink matches table " + params.table +
                                                 (globs.empty() ? " (none registered)"
                                                                : " (globs: " + globs + ")"));
  }
  Result<std::unique_ptr<Sink>> sink = Sink::open(this, *match, params);
  if (!sink.ok()) return sink.status();
  Sink* s = sink.value().release();
  std::lock_guard<std::mutex> lock(mu_);
  sinks_.insert(s);
  return s;
}

void Connector::forget(Sink* sink) {
  std::lock_guard<std::mutex> lock(mu_);
  sinks_.erase(sink);
}

}  // namespace srs
