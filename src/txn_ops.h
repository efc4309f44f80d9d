// The StarRocks operations of on_checkpoint mode, one request each and not retried: begin, load,
// prepare, commit and rollback of Transaction Stream Load (spec §4), get_load_state and _cancel
// (spec §3.10). The protocol decisions (retries, settling doubt, recovery) live in txn_steps.h and
// txn_recovery.h and only talk to this interface, so unit tests drive them with a fake StarRocks.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "classify.h"
#include "status.h"

namespace srs {

class BodySource;
struct SinkContext;

// What one request produced: either an answer (`reply`, classified) or no answer at all
// (`transport` not OK; `maybe_delivered` says whether StarRocks may have acted on it).
struct TxnCall {
  Status transport;
  bool maybe_delivered = false;
  int http_status = 0;
  LoadReply reply;
  bool answered() const { return transport.ok(); }
};

// One row of StarRocks' listing of a table's transaction stream loads.
struct ListedLabel {
  std::string label;
  std::string state;  // StreamLoadTask state: BEGIN .. PREPARED, COMMITED, CANCELLED, FINISHED
};

class TxnOps {
 public:
  virtual ~TxnOps() = default;
  virtual TxnCall begin(const std::string& label) = 0;
  virtual TxnCall load(const std::string& label, BodySource& body) = 0;
  virtual TxnCall prepare(const std::string& label) = 0;
  virtual TxnCall commit(const std::string& label) = 0;
  virtual TxnCall rollback(const std::string& label) = 0;
  // `state` of get_load_state (UNKNOWN, PREPARE, PREPARED, COMMITTED, VISIBLE, ABORTED).
  virtual Result<std::string> load_state(const std::string& label) = 0;
  // POST /api/{db}/{table}/_cancel: aborts a txn without going through its coordinator BE.
  virtual Status cancel(const std::string& label) = 0;
  // Every stream load task StarRocks remembers for this sink's table (information_schema.
  // stream_loads over the HTTP SQL API, StarRocks >= 3.1). An error means "cannot list": the
  // caller probes labels one by one instead.
  virtual Result<std::vector<ListedLabel>> list_labels() {
    return Status::Error(SR_SINK_E_NOT_SUPPORTED, "label listing not available");
  }
};

// Over the sink's HttpClient. `ctx` must outlive the returned object.
std::unique_ptr<TxnOps> make_http_txn_ops(const SinkContext& ctx);

}  // namespace srs
