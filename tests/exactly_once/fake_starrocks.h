// An in-memory StarRocks transaction manager behind TxnOps, for unit tests of the on_checkpoint
// decisions: the spec §4.5 state machine per label, plus scripted replies that override the next
// calls of an op (the fault injection of these tests).
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mode_driver.h"
#include "txn_ops.h"

namespace srs_test {

using srs::LoadReply;
using srs::Outcome;
using srs::TxnCall;

struct FakeTxn {
  std::string state = "UNKNOWN";
  std::string data;  // bytes loaded
  int commits = 0;   // times COMMITTED was entered (must stay <= 1)
};

// A scripted answer: `apply` = perform the operation first (apply_then_reply), else answer only.
struct Scripted {
  TxnCall call;
  bool apply = false;
};

inline TxnCall answer(Outcome o, std::string status = "OK", std::string message = "") {
  TxnCall c;
  c.http_status = 200;
  c.reply.outcome = o;
  c.reply.status = std::move(status);
  c.reply.message = std::move(message);
  return c;
}

// What the HTTP layer reports for a request that sr_sink_cancel aborted (wherever it was).
inline TxnCall cancelled_call() {
  TxnCall c;
  c.transport = srs::Status::Error(SR_SINK_E_CANCELLED, "POST /api/transaction/begin: cancelled");
  c.maybe_delivered = false;
  return c;
}

inline TxnCall no_answer(bool maybe_delivered) {
  TxnCall c;
  c.transport = srs::Status::Error(SR_SINK_E_NETWORK, "connection refused",
                                   SR_SINK_ERROR_F_RETRYABLE);
  c.maybe_delivered = maybe_delivered;
  return c;
}

class FakeStarRocks {
 public:
  std::map<std::string, FakeTxn> txns;
  std::map<std::string, std::deque<Scripted>> script;  // op → next replies
  std::vector<std::string> calls;                      // "begin <label>", ...

  void push(const std::string& op, TxnCall c, bool apply = false) {
    script[op].push_back(Scripted{std::move(c), apply});
  }
  const std::string& state(const std::string& label) { return txns[label].state; }

  TxnCall run(const std::string& op, const std::string& label, const std::string& body) {
    calls.push_back(op + " " + label);
    auto& q = script[op];
    if (!q.empty()) {
      Scripted s = q.front();
      q.pop_front();
      if (s.apply) apply(op, label, body);
      return s.call;
    }
    return apply(op, label, body);
  }

  TxnCall apply(const std::string& op, const std::string& label, const std::string& body) {
    FakeTxn& t = txns[label];
    const std::string& s = t.state;
    if (op == "begin") {
      if (s == "UNKNOWN" || s == "ABORTED") {
        t = FakeTxn{"PREPARE", "", t.commits};
        return answer(Outcome::kSuccess);
      }
      bool finished = s == "COMMITTED" || s == "VISIBLE";
      return answer(finished ? Outcome::kAlreadyFinished : Outcome::kAlreadyRunning,
                    "LABEL_ALREADY_EXISTS");
    }
    if (op == "load") {
      if (s != "PREPARE") return answer(Outcome::kTxnNotExists, "TXN_NOT_EXISTS");
      t.data += body;
      return answer(Outcome::kSuccess);
    }
    if (op == "prepare") {
      if (s != "PREPARE") return answer(Outcome::kTxnNotExists, "TXN_NOT_EXISTS");
      if (t.data.empty()) {
        t.state = "ABORTED";
        return answer(Outcome::kPermanent, "INTERNAL_ERROR", "hasn't send any data yet");
      }
      t.state = "PREPARED";
      return answer(Outcome::kSuccess);
    }
    if (op == "commit") {
      if (s == "PREPARED" || s == "PREPARE") {
        t.state = "VISIBLE";
        ++t.commits;
        return answer(Outcome::kSuccess);
      }
      if (s == "COMMITTED" || s == "VISIBLE") {
        return answer(Outcome::kSuccess, "OK", "has already committed");
      }
      return answer(Outcome::kPermanent, "FAILED", "Can not commit " + s + " transaction");
    }
    if (op == "rollback") {
      if (s == "PREPARED" || s == "PREPARE") {
        t.state = "ABORTED";
        return answer(Outcome::kSuccess);
      }
      if (s == "ABORTED") return answer(Outcome::kSuccess, "OK", "already aborted");
      return answer(Outcome::kPermanent, "FAILED", "Can not abort " + s);
    }
    return answer(Outcome::kPermanent, "FAILED", "unknown op " + op);
  }
};

// TxnOps over a FakeStarRocks owned by the test.
class FakeOps final : public srs::TxnOps {
 public:
  explicit FakeOps(FakeStarRocks* sr) : sr_(sr) {}
  TxnCall begin(const std::string& l) override { return sr_->run("begin", l, ""); }
  TxnCall load(const std::string& l, srs::BodySource& body) override {
    std::string data;
    char buf[4096];
    bool cancelled = false;
    for (size_t n; (n = body.read(buf, sizeof buf, &cancelled)) > 0;) data.append(buf, n);
    return sr_->run("load", l, data);
  }
  TxnCall prepare(const std::string& l) override { return sr_->run("prepare", l, ""); }
  TxnCall commit(const std::string& l) override { return sr_->run("commit", l, ""); }
  TxnCall rollback(const std::string& l) override { return sr_->run("rollback", l, ""); }
  srs::Result<std::string> load_state(const std::string& l) override {
    sr_->calls.push_back("state " + l);
    return sr_->state(l);
  }
  srs::Status cancel(const std::string& l) override {
    sr_->calls.push_back("cancel " + l);
    if (cancel_fails) return srs::Status::Error(SR_SINK_E_TXN, "cancel refused");
    std::string& s = sr_->txns[l].state;
    if (s == "PREPARE" || s == "PREPARED") s = "ABORTED";
    return srs::Status::OK();
  }
  bool cancel_fails = false;

  // information_schema.stream_loads over the fake's labels (StreamLoadTask state names), when
  // `can_list`; otherwise "not available" like a StarRocks before 3.1.
  srs::Result<std::vector<srs::ListedLabel>> list_labels() override {
    sr_->calls.push_back("list");
    if (!can_list) return srs::Status::Error(SR_SINK_E_NOT_SUPPORTED, "no listing");
    std::vector<srs::ListedLabel> out;
    for (const auto& kv : sr_->txns) {
      const std::string& s = kv.second.state;
      if (s == "UNKNOWN") continue;
      std::string task = s == "PREPARE"     ? "LOADING"
                         : s == "PREPARED"  ? "PREPARED"
                         : s == "COMMITTED" ? "COMMITED"
                         : s == "VISIBLE"   ? "FINISHED"
                                            : "CANCELLED";
      out.push_back(srs::ListedLabel{kv.first, task});
    }
    return out;
  }
  bool can_list = false;

 private:
  FakeStarRocks* sr_;
};

class StringBody final : public srs::BodySource {
 public:
  explicit StringBody(std::string s) : s_(std::move(s)) {}
  size_t read(char* dst, size_t cap, bool*) override {
    size_t n = std::min(cap, s_.size() - pos_);
    std::copy(s_.data() + pos_, s_.data() + pos_ + n, dst);
    pos_ += n;
    return n;
  }
  bool rewind() override {
    pos_ = 0;
    return true;
  }
  bool replayable() const override { return true; }
  uint64_t rows() const override { return 1; }
  uint64_t bytes() const override { return s_.size(); }

 private:
  std::string s_;
  size_t pos_ = 0;
};

}  // namespace srs_test
