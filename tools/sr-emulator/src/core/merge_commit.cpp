// Merge commit (StarRocks >= 3.4, `enable_merge_commit`): loads of one table with the same load
// headers that arrive within `merge_commit_interval_ms` become one transaction. StarRocks' FE
// (MergeCommitJob) begins a txn with its own label when the first load of a window arrives; the
// BEs append every load's data to that txn's pipe until the window ends, then the load finishes and
// the FE commits and publishes it. Here a window is a MergeBatch; it is closed at the first tick
// after its deadline (every request ticks, and a synchronous load waiting for its window ticks too).
#include <random>

#include "core/emulator.h"

namespace sremu {
namespace {

std::string merge_label() {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  // StarRocks' FE names the txn merge_commit_<uuid> (test_merge_commit_cancel shows
  // merge_commit_019b7ea8-2d85-7586-8877-91d55c347c2d).
  std::string s = "merge_commit_";
  uint64_t a = rng(), b = rng();
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) s.push_back('-');
    uint64_t w = i < 16 ? a : b;
    s.push_back(hex[(w >> ((i % 16) * 4)) & 15]);
  }
  return s;
}

bool too_many(const MergeBatch& b) {
  int64_t denom = b.total - b.unselected;
  if (b.filtered <= 0 || denom <= 0) return false;
  return static_cast<double>(b.filtered) / static_cast<double>(denom) > b.max_filter_ratio;
}

}  // namespace

std::shared_ptr<MergeBatch> Emulator::merge_join_locked(const std::string& key, const std::string& db,
                                                        const std::string& table, int64_t interval_ms,
                                                        int64_t timeout_s, const LoadParams& params, int be,
                                                        BeginError* err) {
  merge_close_due_locked();
  auto it = merge_batches_.find(key);
  if (it != merge_batches_.end()) return it->second;
  auto t = begin_locked(db, table, merge_label(), "merge_commit", timeout_s, 0, be, err);
  if (!t) return nullptr;
  t->in_processing = true;  // the window owns it: no timeout cleaner while it is open
  t->params = params;       // every load of the window has the same load headers
  auto b = std::make_shared<MergeBatch>();
  b->txn = t;
  b->deadline = now() + static_cast<double>(interval_ms) / 1000.0;
  b->max_filter_ratio = params.max_filter_ratio;
  merge_batches_[key] = b;
  return b;
}

void Emulator::merge_close_due_locked() {
  if (merge_batches_.empty()) return;
  const double n = now();
  bool closed = false;
  for (auto it = merge_batches_.begin(); it != merge_batches_.end();) {
    MergeBatch& b = *it->second;
    // A window whose txn ended early (`_cancel`) takes no more loads: the next one opens a new txn.
    if (n < b.deadline && b.txn->state == TxnState::kPrepare) {
      ++it;
      continue;
    }
    Txn& t = *b.txn;
    t.in_processing = false;
    if (t.state == TxnState::kPrepare) {
      t.bytes = b.bytes;
      t.total = b.total;
      t.filtered = b.filtered;
      if (!b.error.empty()) abort_locked(t, b.error);
      else if (too_many(b)) abort_locked(t, "too many filtered rows");
      else commit_locked(t, &b.rows, 0);
    }
    b.rows.clear();
    it = merge_batches_.erase(it);
    closed = true;
  }
  if (closed) merge_cv.notify_all();
}

}  // namespace sremu
