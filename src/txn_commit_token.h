// sr_sink_commit_token: commits what a commit token names with no open sink, for a committer that
// runs apart from the writer (docs/exactly-once.md, "Committing a token without a sink").
#pragma once
#include "status.h"
#include "token.h"

namespace srs {

class Logger;
struct Registration;

// Commits the token's transactions exactly as recovery does (txn_recovery.h commit_token_txns)
// through `reg`'s options and credentials. Each call has its own HttpClient and state, so calls
// run concurrently with each other and with the registration's sinks (commit is idempotent by
// label; a concurrent commit of the same label is settled with get_load_state).
Status commit_token(const Registration& reg, const Logger& log, const CommitToken& token);

}  // namespace srs
