// The emulator's shared state: catalog, per-database transactions and labels, users, faults,
// journal, error logs, counters and the emulated clock. One mutex (`mu`) guards everything but
// the atomics and Faults; bodies are parsed outside it.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/catalog.h"
#include "core/config.h"
#include "data/data.h"
#include "core/faults.h"
#include "core/journal.h"

namespace sremu {

enum class TxnState { kPrepare, kPrepared, kCommitted, kVisible, kAborted };
const char* state_name(TxnState s);

struct Txn {
  int64_t id = 0;
  std::string db, table, label, kind;  // kind: stream_load | transaction
  TxnState state = TxnState::kPrepare;
  double begin_ts = 0, last_active_ts = 0, prepared_ts = 0, finish_ts = 0, visible_at = 0;
  int64_t timeout_s = 600, idle_timeout_s = 0, prepared_timeout_s = 0;
  int coordinator_be = 0;
  std::string reason;  // abort reason
  // The coordinator BE's context (transaction interface, while PREPARE).
  bool be_ctx = false;
  bool in_processing = false;     // a request on this label is being served (per-label lock)
  std::string load_signature;     // load headers of the first load ("load request not equal last.")
  bool planned = false;
  LoadParams params;              // from the first load
  std::vector<Row> rows;          // loaded rows not yet visible
  int64_t total = 0, filtered = 0, unselected = 0, bytes = 0;
  std::vector<std::string> rejected;
  std::string data_error;         // a load's parse failure, reported at prepare/commit
  bool has_data = false;
  // Outcome counters.
  int64_t rows_loaded = 0, rows_filtered = 0;
  std::string error_url;
  uint64_t commit_seq = 0;  // publish order: versions become visible in commit order
};

// One merge-commit window (core/merge_commit.cpp): the homogeneous loads of one table that arrive
// within `merge_commit_interval_ms` share one transaction, committed when the window closes.
struct MergeBatch {
  std::shared_ptr<Txn> txn;
  double deadline = 0;  // emulated seconds; the window closes at the first tick after it
  double max_filter_ratio = 0;
  std::vector<Row> rows;
  int64_t total = 0, filtered = 0, unselected = 0, bytes = 0, requests = 0;
  std::string error;  // a body that could not be read fails the merged load
};

struct DbTxns {
  std::map<std::string, std::shared_ptr<Txn>> by_label;  // latest txn of each remembered label
  std::map<std::string, int64_t> commits;                 // label → times its data was applied
};

struct LoadStats {
  std::map<std::string, int64_t> by_status;  // Success, Fail, Label Already Exists, Publish Timeout
  std::map<std::string, int64_t> txn_transitions;  // PREPARE, PREPARED, COMMITTED, VISIBLE, ABORTED
};

class Emulator {
 public:
  explicit Emulator(Config cfg);

  Config cfg;
  std::mutex mu;
  Catalog catalog;
  std::map<std::string, DbTxns> txns;
  std::map<std::string, std::string> users;  // user → password
  std::set<std::string> no_insert;            // users without the INSERT privilege
  Faults faults;
  Journal journal;
  LoadStats stats;
  std::atomic<uint64_t> bytes_received{0}, requests{0};
  std::atomic<uint64_t> discard_rows{0};

  // Ports, filled at start.
  int fe_port = 0, leader_fe_port = 0, dead_port = 0;
  std::vector<int> be_ports;
  std::atomic<uint64_t> be_round_robin{0};

  // ---- emulated clock (real time + offset advanced by /_emulator/clock) ----
  double now() const;
  double advance_clock(double seconds);  // returns the new now
  void set_clock_offset(double offset) { clock_offset_.store(offset); }
  double clock_offset() const { return clock_offset_.load(); }

  // ---- auth ----
  enum class Auth { kOk, kMissing, kDenied };
  Auth check_auth(const std::string& authorization_header, std::string* user);
  bool can_insert(const std::string& user);

  // ---- error logs served by /api/_load_error_log ----
  std::string add_error_log(const std::vector<std::string>& lines, int be_port);  // returns ErrorURL
  // The log `name` as served by the BE on `be_port` (nullopt: not that BE's, or evicted).
  std::optional<std::string> error_log(const std::string& name, int be_port);

  // ---- transactions (all with `mu` held) ----
  // Applies time-based transitions: PREPARE timeouts, PREPARED expiry, delayed publish, label eviction.
  void tick_locked();
  Txn* find_txn_locked(const std::string& db, const std::string& label);
  int64_t running_txns_locked(const std::string& db);
  struct BeginError {
    std::string kind;     // "label_exists" | "limit" | "unknown_db" | "unknown_table"
    std::string message;
    std::string existing_status;  // RUNNING | FINISHED | "" (BE context)
  };
  std::shared_ptr<Txn> begin_locked(const std::string& db, const std::string& table, const std::string& label,
                                    const std::string& kind, int64_t timeout_s, int64_t idle_timeout_s, int be,
                                    BeginError* err);
  void abort_locked(Txn& t, const std::string& reason);
  void prepare_locked(Txn& t, int64_t prepared_timeout_s);
  // Commits `rows` (or t.rows when null). publish_delay_s > 0 leaves it COMMITTED until then.
  void commit_locked(Txn& t, const std::vector<Row>* rows, int64_t publish_delay_s);

  // ---- merge commit (core/merge_commit.cpp; all with `mu` held) ----
  // The open window of `key` (db, table and the load headers), or a new one: a txn with a generated
  // label and the loads' `params` (partial update, merge_condition, max_filter_ratio), closing
  // `interval_ms` from now. nullptr with *err when the txn cannot begin.
  std::shared_ptr<MergeBatch> merge_join_locked(const std::string& key, const std::string& db, const std::string& table,
                                                int64_t interval_ms, int64_t timeout_s, const LoadParams& params,
                                                int be, BeginError* err);
  // Closes the windows whose time is up: commits (VISIBLE) or aborts their txns; wakes waiters.
  void merge_close_due_locked();
  std::condition_variable merge_cv;  // notified (with `mu`) when a window closes

  std::string stats_json();
  std::string replay(const std::vector<std::string>& lines);  // journal replay at start

 private:
  void make_visible_locked(Txn& t, const std::vector<Row>& rows);
  // Publishes, in commit order, COMMITTED txns of t's table committed before t (or due by `now`).
  void publish_pending_locked(const std::string& db, const std::string& table, uint64_t before_seq, bool only_due);
  void transition(Txn& t, TxnState s);
  void evict_locked(DbTxns& d);
  std::map<std::string, std::shared_ptr<MergeBatch>> merge_batches_;  // open windows by key
  std::atomic<double> clock_offset_{0};
  int64_t next_txn_id_ = 1001;
  uint64_t next_commit_seq_ = 1;
  struct ErrorLogFile {
    std::string name, text;
    int be_port;  // the BE that wrote it
  };
  std::deque<ErrorLogFile> error_logs_;  // bounded, oldest first
  uint64_t error_log_seq_ = 0;
};

}  // namespace sremu
