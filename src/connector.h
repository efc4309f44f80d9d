// The connector: sinks registered by glob over "db.table" (first match wins), each registration
// with its options, its credentials callback and its memory budget; the host's logger; and the
// set of open sinks (sr_sink_connector_free closes leftovers).
//
// Budget choice: memory_budget_bytes is a per-registration option, so each registration has its
// own Budget shared by every sink opened through it (sinks of different registrations never
// starve each other). A sink that finds the budget full sends what it holds and waits; memory held
// by another sink's unsent rows comes back only at that sink's next threshold, watermark or
// checkpoint, so the waiting write may time out (SR_SINK_E_TIMEOUT, retryable, nothing taken).
#pragma once
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "budget.h"
#include "credentials.h"
#include "http_shared.h"
#include "log.h"
#include "options.h"
#include "rejected_rows.h"
#include "sr_sink.h"
#include "status.h"

namespace srs {

class Sink;

struct Registration {
  std::string glob;
  Options options;
  std::unique_ptr<CredentialsProvider> credentials;
  std::unique_ptr<RejectedRowsConsumer> rejected;  // null: none registered
  std::unique_ptr<Budget> budget;
};

// sr_sink_open_params with every field present (fields beyond the caller's struct_size zero).
struct OpenParams {
  std::string table;
  std::vector<std::string> columns;
  std::string instance_id;
  std::string restore_token;
  std::vector<std::string> key_columns;  // the host's primary key; empty: not checked
};

class Connector {
 public:
  explicit Connector(const Logger& log) : log_(log) {}
  ~Connector();  // closes sinks still open
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  // Takes over `credentials` and `rejected` (their release runs even if this fails).
  Status add_sink(const std::string& glob, const char* options_json,
                  std::unique_ptr<CredentialsProvider> credentials,
                  std::unique_ptr<RejectedRowsConsumer> rejected = nullptr);
  Result<Sink*> open(const OpenParams& params);
  // sr_sink_commit_token: through the registration that matches the token's db.table.
  Status commit_token(std::string_view token);
  // Called by Sink::close.
  void forget(Sink* sink);
  const Logger& log() const { return log_; }
  // One connection cache and FE health for every sink of this connector.
  HttpShared* http_shared() { return &http_shared_; }

 private:
  // The first registration whose glob matches "db.table"; SR_SINK_E_NO_ROUTE naming the globs.
  Result<const Registration*> route(const std::string& table) const;

  Logger log_;
  HttpShared http_shared_;
  std::vector<std::unique_ptr<Registration>> registrations_;
  std::mutex mu_;  // guards sinks_ (sinks close from any thread)
  std::set<Sink*> sinks_;
};

}  // namespace srs
