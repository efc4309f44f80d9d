#include "connector.h"

#include "glob.h"
#include "sink.h"
#include "token.h"
#include "txn_commit_token.h"

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

Result<const Registration*> Connector::route(const std::string& table) const {
  for (const auto& reg : registrations_) {
    if (glob_match(reg->glob, table)) return reg.get();
  }
  std::string globs;
  for (const auto& reg : registrations_) globs += (globs.empty() ? "" : ", ") + reg->glob;
  return Status::Error(SR_SINK_E_NO_ROUTE, "no registered sink matches table " + table +
                                               (globs.empty() ? " (none registered)"
                                                              : " (globs: " + globs + ")"));
}

Result<Sink*> Connector::open(const OpenParams& params) {
  Result<const Registration*> match = route(params.table);
  if (!match.ok()) return match.status();
  Result<std::unique_ptr<Sink>> sink = Sink::open(this, *match.value(), params);
  if (!sink.ok()) return sink.status();
  Sink* s = sink.value().release();
  std::lock_guard<std::mutex> lock(mu_);
  sinks_.insert(s);
  return s;
}

Status Connector::commit_token(std::string_view token) {
  Result<TokenInfo> info = inspect_token(token);
  if (!info.ok()) return info.status();
  if (info->on_watermark || info->n_transactions == 0) return Status::OK();
  Result<CommitToken> t = decode_token(token);
  if (!t.ok()) return t.status();
  Result<const Registration*> reg = route(t->db + "." + t->table);
  if (!reg.ok()) return Status(reg.status()).prefix("sr_sink_commit_token: ");
  return srs::commit_token(*reg.value(), log_, t.value());
}

void Connector::forget(Sink* sink) {
  std::lock_guard<std::mutex> lock(mu_);
  sinks_.erase(sink);
}

}  // namespace srs
