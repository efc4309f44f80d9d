#include "txn_commit_token.h"

#include <atomic>
#include <memory>

#include "connector.h"
#include "http.h"
#include "log.h"
#include "mode_driver.h"
#include "token.h"
#include "txn_ops.h"
#include "txn_recovery.h"
#include "txn_steps.h"

namespace srs {

Status commit_token(const Registration& reg, const Logger& log, const CommitToken& t) {
  const std::string table = t.db + "." + t.table;
  std::atomic<bool> never_cancelled{false};  // no sr_sink_cancel reaches this call
  HttpClient http(reg.options, reg.credentials.get(), table, &log, &never_cancelled);
  SinkContext ctx;
  ctx.options = &reg.options;
  ctx.http = &http;
  ctx.log = &log;
  ctx.cancelled = &never_cancelled;
  ctx.db = t.db;
  ctx.table = t.table;
  ctx.instance_id = t.instance_id;
  std::unique_ptr<TxnOps> ops = make_http_txn_ops(ctx);
  TxnSteps steps(*ops, RetryPolicy{reg.options.max_retries, reg.options.retry_backoff_ms,
                                   &never_cancelled},
                 &log, nullptr);
  int committed = 0;
  Status st = commit_token_txns(steps, t, &committed);
  if (!st.ok()) {
    return st.prefix("sr_sink_commit_token " + table + " (instance_id `" + t.instance_id + "`): ");
  }
  log.log(SR_SINK_LOG_INFO, "%s instance %s: checkpoint %lld committed from its token (%d "
          "transactions)", table.c_str(), t.instance_id.c_str(),
          static_cast<long long>(t.checkpoint_id), committed);
  return Status::OK();
}

}  // namespace srs
