#include "core/emulator.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <strings.h>

#include "core/json_util.h"

namespace sremu {
namespace {

std::string base64_decode(const std::string& in, bool* ok) {
  static int table[256];
  static bool init = [] {
    for (int& v : table) v = -1;
    const char* chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(chars[i])] = i;
    return true;
  }();
  (void)init;
  std::string out;
  uint32_t val = 0;
  int bits = -8;
  size_t i = 0;
  for (; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '=') break;
    if (table[c] < 0) {
      *ok = false;
      return {};
    }
    val = ((val << 6) | static_cast<uint32_t>(table[c])) & 0xFFFFFFu;  // only the last 24 bits matter
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  for (; i < in.size(); ++i) {
    if (in[i] != '=') {
      *ok = false;
      return {};
    }
  }
  *ok = true;
  return out;
}

double real_now() {
  using namespace std::chrono;
  return duration_cast<duration<double>>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

const char* state_name(TxnState s) {
  switch (s) {
    case TxnState::kPrepare: return "PREPARE";
    case TxnState::kPrepared: return "PREPARED";
    case TxnState::kCommitted: return "COMMITTED";
    case TxnState::kVisible: return "VISIBLE";
    case TxnState::kAborted: return "ABORTED";
  }
  return "UNKNOWN";
}

Emulator::Emulator(Config c) : cfg(std::move(c)) {
  for (auto& u : cfg.users) users[u.first] = u.second;
}

double Emulator::now() const { return real_now() + clock_offset_.load(); }

double Emulator::advance_clock(double seconds) {
  double off = clock_offset_.load() + seconds;
  clock_offset_.store(off);
  journal.append("{\"t\":\"clock\",\"offset\":" + std::to_string(off) + "}", false);
  return real_now() + off;
}

bool Emulator::can_insert(const std::string& user) {
  std::lock_guard<std::mutex> lock(mu);
  return no_insert.count(user) == 0;
}

Emulator::Auth Emulator::check_auth(const std::string& header, std::string* user) {
  // "Basic base64(user:password)"; the FE splits on the first ':' and drops a "@host" suffix.
  if (header.size() < 6 || strncasecmp(header.c_str(), "Basic ", 6) != 0) return Auth::kMissing;
  bool ok = false;
  std::string decoded = base64_decode(header.substr(6), &ok);
  size_t colon = decoded.find(':');
  if (!ok || colon == std::string::npos) return Auth::kMissing;
  std::string name = decoded.substr(0, colon);
  std::string password = decoded.substr(colon + 1);
  size_t at = name.find('@');
  if (at != std::string::npos) name = name.substr(0, at);
  *user = name;
  std::lock_guard<std::mutex> lock(mu);
  auto it = users.find(name);
  if (it == users.end() || it->second != password) return Auth::kDenied;
  return Auth::kOk;
}

std::string Emulator::add_error_log(const std::vector<std::string>& lines, int be_port) {
  std::lock_guard<std::mutex> lock(mu);
  char name[64];
  std::snprintf(name, sizeof name, "error_log_%016llx_%016llx", static_cast<unsigned long long>(++error_log_seq_),
                static_cast<unsigned long long>(std::random_device{}()));
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  error_logs_.push_back(ErrorLogFile{name, std::move(text), be_port});
  while (error_logs_.size() > 1000) error_logs_.pop_front();
  const std::string& host = cfg.advertise_be_host.empty() ? cfg.bind : cfg.advertise_be_host;
  return std::string(cfg.be_tls() ? "https://" : "http://") + host + ":" + std::to_string(be_port) +
         "/api/_load_error_log?file=" + name;
}

std::optional<std::string> Emulator::error_log(const std::string& name, int be_port) {
  std::lock_guard<std::mutex> lock(mu);
  for (const auto& e : error_logs_) {
    if (e.name == name && e.be_port == be_port) return e.text;
  }
  return std::nullopt;
}

Txn* Emulator::find_txn_locked(const std::string& db, const std::string& label) {
  auto d = txns.find(db);
  if (d == txns.end()) return nullptr;
  auto it = d->second.by_label.find(label);
  return it == d->second.by_label.end() ? nullptr : it->second.get();
}

int64_t Emulator::running_txns_locked(const std::string& db) {
  auto d = txns.find(db);
  if (d == txns.end()) return 0;
  int64_t n = 0;
  for (auto& kv : d->second.by_label) {
    TxnState s = kv.second->state;
    // A PREPARED txn keeps its slot until committed or aborted (spec §4.5, UNCONFIRMED there).
    if (s == TxnState::kPrepare || s == TxnState::kPrepared || s == TxnState::kCommitted) ++n;
  }
  return n;
}

void Emulator::transition(Txn& t, TxnState s) {
  t.state = s;
  ++stats.txn_transitions[state_name(s)];
}

std::shared_ptr<Txn> Emulator::begin_locked(const std::string& db, const std::string& table,
                                            const std::string& label, const std::string& kind, int64_t timeout_s,
                                            int64_t idle_timeout_s, int be, BeginError* err) {
  Database* d = catalog.db(db);
  if (d == nullptr) {
    *err = {"unknown_db", "unknown database, database=" + db, ""};
    return nullptr;
  }
  if (catalog.table(db, table) == nullptr) {
    *err = {"unknown_table", "unknown table \"" + db + "." + table + "\"", ""};
    return nullptr;
  }
  if (Txn* old = find_txn_locked(db, label)) {
    if (old->state != TxnState::kAborted) {
      std::string existing = (old->state == TxnState::kCommitted || old->state == TxnState::kVisible) ? "FINISHED"
                                                                                                      : "RUNNING";
      *err = {"label_exists", "Label [" + label + "] has already been used.", existing};
      return nullptr;
    }
  }
  int64_t running = running_txns_locked(db);
  if (running >= cfg.max_running_txn_num_per_db) {
    *err = {"limit",
            "current running txns on db " + std::to_string(d->id) + " is " + std::to_string(running) +
                ", larger than limit " + std::to_string(cfg.max_running_txn_num_per_db),
            ""};
    return nullptr;
  }
  auto t = std::make_shared<Txn>();
  t->id = next_txn_id_++;
  t->db = db;
  t->table = table;
  t->label = label;
  t->kind = kind;
  t->begin_ts = t->last_active_ts = now();
  t->timeout_s = timeout_s;
  t->idle_timeout_s = idle_timeout_s;
  t->coordinator_be = be;
  transition(*t, TxnState::kPrepare);
  txns[db].by_label[label] = t;
  JsonObject rec;
  rec.str("t", "begin").num("id", t->id).str("db", db).str("table", table).str("label", label).str("kind", kind)
      .dbl("ts", t->begin_ts).num("timeout", timeout_s).num("idle", idle_timeout_s).num("be", be);
  journal.append(rec.done(), false);
  evict_locked(txns[db]);
  return t;
}

void Emulator::abort_locked(Txn& t, const std::string& reason) {
  if (t.state == TxnState::kAborted || t.state == TxnState::kVisible || t.state == TxnState::kCommitted) return;
  transition(t, TxnState::kAborted);
  t.reason = reason;
  t.finish_ts = now();
  t.be_ctx = false;
  t.rows.clear();
  t.rows.shrink_to_fit();
  t.rejected.clear();
  JsonObject rec;
  rec.str("t", "abort").num("id", t.id).dbl("ts", t.finish_ts).str("reason", reason);
  journal.append(rec.done(), false);
}

void Emulator::prepare_locked(Txn& t, int64_t prepared_timeout_s) {
  t.prepared_ts = now();
  t.prepared_timeout_s = prepared_timeout_s > 0 ? prepared_timeout_s : cfg.prepared_txn_default_timeout_s;
  t.be_ctx = false;  // the BE forgets the context after prepare (TXN_NOT_EXISTS afterwards)
  t.rows_loaded = static_cast<int64_t>(t.rows.size());
  t.rows_filtered = t.filtered;
  // The rows must be durable before the client hears OK: a PREPARED txn survives restarts.
  JsonObject rec;
  rec.str("t", "prepare").num("id", t.id).dbl("ts", t.prepared_ts).num("pto", t.prepared_timeout_s)
      .boolean("partial", t.params.partial_update).str("merge", t.params.merge_condition)
      .num("loaded", t.rows_loaded).num("filtered", t.rows_filtered);
  rec.raw("rows", rows_to_json(t.rows));
  journal.append(rec.done(), true);
  transition(t, TxnState::kPrepared);
}

void Emulator::commit_locked(Txn& t, const std::vector<Row>* rows, int64_t publish_delay_s) {
  const std::vector<Row>& data = rows != nullptr ? *rows : t.rows;
  bool from_prepared = t.state == TxnState::kPrepared;
  t.be_ctx = false;
  if (!from_prepared) {
    t.rows_loaded = static_cast<int64_t>(data.size());
    t.rows_filtered = t.filtered;
  }
  JsonObject rec;
  rec.str("t", "commit").num("id", t.id).dbl("ts", now()).boolean("partial", t.params.partial_update)
      .str("merge", t.params.merge_condition).num("loaded", t.rows_loaded).num("filtered", t.rows_filtered);
  if (!from_prepared) rec.raw("rows", rows_to_json(data));
  journal.append(rec.done(), true);
  transition(t, TxnState::kCommitted);
  t.commit_seq = next_commit_seq_++;
  if (publish_delay_s > 0) {
    if (rows != nullptr) t.rows = *rows;
    // A version cannot become visible before an earlier one of the same table.
    double at = now() + static_cast<double>(publish_delay_s);
    for (auto& kv : txns[t.db].by_label) {
      const Txn& o = *kv.second;
      if (o.state == TxnState::kCommitted && o.table == t.table && o.commit_seq < t.commit_seq) at = std::max(at, o.visible_at);
    }
    t.visible_at = at;
    return;
  }
  // Earlier versions of this table that are still publishing become visible first.
  publish_pending_locked(t.db, t.table, t.commit_seq, false);
  make_visible_locked(t, data);
}

void Emulator::publish_pending_locked(const std::string& db, const std::string& table, uint64_t before_seq,
                                      bool only_due) {
  const double n = now();
  std::vector<std::shared_ptr<Txn>> due;
  for (auto& kv : txns[db].by_label) {
    Txn& o = *kv.second;
    if (o.state != TxnState::kCommitted || o.commit_seq >= before_seq) continue;
    if (!table.empty() && o.table != table) continue;
    if (only_due && n < o.visible_at) continue;
    due.push_back(kv.second);
  }
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a->commit_seq < b->commit_seq; });
  for (auto& o : due) {
    std::vector<Row> rows = std::move(o->rows);
    make_visible_locked(*o, rows);
  }
}

void Emulator::make_visible_locked(Txn& t, const std::vector<Row>& rows) {
  TableStore* table = catalog.table(t.db, t.table);
  if (table != nullptr) {
    ApplyCounts c = apply_rows(*table, rows, t.params.partial_update, t.params.merge_condition);
    table->stats.upserts += c.upserts;
    table->stats.deletes += c.deletes;
    table->stats.loads += 1;
    table->stats.bytes += t.bytes;
  }
  ++txns[t.db].commits[t.label];
  transition(t, TxnState::kVisible);
  t.finish_ts = now();
  t.rows.clear();
  t.rows.shrink_to_fit();
  t.rejected.clear();
}

void Emulator::tick_locked() {
  merge_close_due_locked();
  const double n = now();
  for (auto& dkv : txns) {
    for (auto& kv : dkv.second.by_label) {
      Txn& t = *kv.second;
      if (t.in_processing) continue;  // like the BE cleaner: a busy context is not touched
      if (t.state == TxnState::kPrepare) {
        if (t.timeout_s > 0 && n - t.begin_ts > static_cast<double>(t.timeout_s)) {
          abort_locked(t, "transaction is aborted by timeout " + std::to_string(t.timeout_s) + " seconds.");
        } else if (t.idle_timeout_s > 0 && n - t.last_active_ts > static_cast<double>(t.idle_timeout_s)) {
          abort_locked(t, "transaction is aborted by idle timeout " + std::to_string(t.idle_timeout_s) + " seconds.");
        }
      } else if (t.state == TxnState::kPrepared) {
        if (n - t.prepared_ts > static_cast<double>(t.prepared_timeout_s)) {
          // The BE has forgotten the txn; the FE's transaction manager aborts it (StarRocks' test_prepared_timeout).
          abort_locked(t, "timeout by txn manager");
        }
      }
    }
    // Delayed publishes that are due, in commit order.
    publish_pending_locked(dkv.first, "", UINT64_MAX, true);
    evict_locked(dkv.second);
  }
}

void Emulator::evict_locked(DbTxns& d) {
  const double n = now();
  std::vector<std::pair<double, std::string>> finals;
  for (auto it = d.by_label.begin(); it != d.by_label.end();) {
    Txn& t = *it->second;
    bool final_state = t.state == TxnState::kVisible || t.state == TxnState::kAborted;
    if (final_state && n - t.finish_ts > static_cast<double>(cfg.label_keep_max_second)) {
      it = d.by_label.erase(it);
      continue;
    }
    if (final_state) finals.emplace_back(t.finish_ts, it->first);
    ++it;
  }
  int64_t excess = static_cast<int64_t>(d.by_label.size()) - cfg.label_keep_max_num;
  if (excess <= 0) return;
  std::sort(finals.begin(), finals.end());  // oldest final-state txns go first
  for (int64_t i = 0; i < excess && i < static_cast<int64_t>(finals.size()); ++i) d.by_label.erase(finals[i].second);
}

std::string Emulator::stats_json() {
  std::lock_guard<std::mutex> lock(mu);
  tick_locked();
  std::string tables = "{";
  bool first = true;
  for (auto& dkv : catalog.databases()) {
    for (auto& tkv : dkv.second.tables) {
      const TableStore& t = *tkv.second;
      if (!first) tables += ",";
      first = false;
      json_quote(dkv.first + "." + tkv.first, &tables);
      tables += ":" + JsonObject()
                          .num("rows", t.row_count() + t.stats.discarded_rows)
                          .num("upserts", t.stats.upserts)
                          .num("deletes", t.stats.deletes)
                          .num("loads", t.stats.loads)
                          .num("bytes", t.stats.bytes)
                          .done();
    }
  }
  tables += "}";
  JsonObject loads;
  for (const char* s : {"Success", "Fail", "Label Already Exists", "Publish Timeout"}) loads.num(s, stats.by_status[s]);
  JsonObject trans;
  for (const char* s : {"PREPARE", "PREPARED", "COMMITTED", "VISIBLE", "ABORTED"}) trans.num(s, stats.txn_transitions[s]);
  std::string labels = "{";
  first = true;
  for (auto& dkv : txns) {
    if (!first) labels += ",";
    first = false;
    json_quote(dkv.first, &labels);
    labels += ":{";
    bool f2 = true;
    for (auto& kv : dkv.second.by_label) {
      const Txn& t = *kv.second;
      if (!f2) labels += ",";
      f2 = false;
      json_quote(kv.first, &labels);
      auto c = dkv.second.commits.find(kv.first);
      JsonObject o;
      o.str("state", state_name(t.state))
          .num("txn_id", t.id)
          .num("rows_loaded", t.rows_loaded)
          .num("rows_filtered", t.rows_filtered)
          .num("commits", c == dkv.second.commits.end() ? 0 : c->second)
          .str("table", t.table)
          .str("kind", t.kind);
      // StarRocks' PreparedTimeoutMs of a transaction that was prepared (SHOW TRANSACTION).
      if (t.prepared_timeout_s > 0) o.num("prepared_timeout_ms", t.prepared_timeout_s * 1000);
      labels += ":" + o.done();
    }
    labels += "}";
  }
  labels += "}";
  return JsonObject()
      .raw("tables", tables)
      .raw("loads", loads.done())
      .raw("transactions", trans.done())
      .raw("labels", labels)
      .num("bytes_received", static_cast<int64_t>(bytes_received.load()))
      .num("requests", static_cast<int64_t>(requests.load()))
      .num("discarded_rows", static_cast<int64_t>(discard_rows.load()))
      .done();
}

}  // namespace sremu
