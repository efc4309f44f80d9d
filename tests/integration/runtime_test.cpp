// The runtime pieces that need no server: the memory budget and the pipeline (chunks → I/O
// thread → load requests), driven with a fake send function in place of a mode driver.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "budget.h"
#include "encode.h"
#include "pipeline.h"

namespace srs {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string read_all(BodySource& body) {
  std::string out;
  char buf[37];  // odd size: reads cross chunk boundaries
  bool cancelled = false;
  size_t n;
  while ((n = body.read(buf, sizeof(buf), &cancelled)) > 0) out.append(buf, n);
  return out;
}

std::string row(int id) { return "{\"id\":" + std::to_string(id) + "}"; }
std::string encoded(int id, int op = 0) {
  return "{\"id\":" + std::to_string(id) + ",\"__op\":" + std::to_string(op) + "}\n";
}

// Records every request the pipeline sends.
struct FakeDriver {
  std::mutex mu;
  std::vector<std::string> bodies;
  std::vector<uint64_t> rows;
  Status result;
  Status send(BodySource& b) {
    std::string s = read_all(b);
    std::lock_guard<std::mutex> lock(mu);
    bodies.push_back(s);
    rows.push_back(b.rows());
    return result;
  }
};

Pipeline::Config small_config() {
  Pipeline::Config c;
  c.chunk_bytes = 64;
  c.batch_max_bytes = 1 << 20;
  c.batch_max_rows = 1000;
  return c;
}

// Adds one row to the batch the way Sink::write does: room, encoding in place, commit.
void append(Pipeline& p, const std::string& r, int op) {
  char* dst = p.row_space(r.size());
  std::memcpy(dst, r.data(), r.size());
  p.commit_row(encode_row_with_op(dst, std::string_view(dst, r.size()), op, false));
}

void append_rows(Pipeline& p, int from, int to) {
  ASSERT_TRUE(p.reserve((to - from) * 32, Clock::now() + 1s, false).ok());
  for (int i = from; i < to; ++i) append(p, row(i), i % 2);
  p.end_batch();
}

TEST(Budget, GrantsWhatFitsAndTimesOutOtherwise) {
  Budget b(100);
  EXPECT_TRUE(b.try_acquire(80));
  EXPECT_FALSE(b.try_acquire(40));
  Status st = b.acquire(40, Clock::now() + 20ms, nullptr);
  EXPECT_EQ(st.code(), SR_SINK_E_TIMEOUT);
  EXPECT_NE(st.message().find("memory_budget_bytes"), std::string::npos);
  b.release(80);
  EXPECT_TRUE(b.acquire(40, Clock::now() + 20ms, nullptr).ok());
  EXPECT_EQ(b.used(), 40u);
}

TEST(Budget, OversizedRequestIsGrantedWhenNothingIsHeld) {
  Budget b(100);
  EXPECT_TRUE(b.try_acquire(1000));
  EXPECT_FALSE(b.try_acquire(1));
}

TEST(Budget, CancelWakesABlockedAcquire) {
  Budget b(10);
  ASSERT_TRUE(b.try_acquire(10));
  std::atomic<bool> cancelled{false};
  auto waiter = std::async(std::launch::async, [&] {
    return b.acquire(5, Clock::now() + 60s, &cancelled);
  });
  cancelled = true;
  b.wake();
  ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(waiter.get().code(), SR_SINK_E_CANCELLED);
}

TEST(Pipeline, ASmallBatchGoesAsOneRequestAtTheFlush) {
  Budget budget(1 << 20);
  FakeDriver d;
  Pipeline::Config c = small_config();
  c.chunk_bytes = 4096;
  Pipeline p(c, &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
  append_rows(p, 0, 10);
  {
    std::lock_guard<std::mutex> lock(d.mu);
    EXPECT_TRUE(d.bodies.empty()) << "nothing is sent before the chunk is full or a flush";
  }
  ASSERT_TRUE(p.flush().ok());
  ASSERT_EQ(d.bodies.size(), 1u);
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += encoded(i, i % 2);
  EXPECT_EQ(d.bodies[0], expected);
  EXPECT_EQ(d.rows[0], 10u);
  EXPECT_EQ(budget.used(), 0u) << "memory comes back once the load succeeded";
  EXPECT_EQ(p.held_bytes(), 0u);
}

TEST(Pipeline, AFullChunkStartsTheRequestBeforeTheFlush) {
  Budget budget(1 << 20);
  std::promise<void> started;
  std::string body;
  Pipeline p(small_config(), &budget,
             [&](BodySource& b) {
               started.set_value();
               body = read_all(b);
               return Status::OK();
             },
             nullptr);
  append_rows(p, 0, 20);  // ~340 bytes: several 64-byte chunks
  EXPECT_EQ(started.get_future().wait_for(10s), std::future_status::ready);
  append_rows(p, 20, 25);  // streamed into the same open request
  ASSERT_TRUE(p.flush().ok());
  std::string expected;
  for (int i = 0; i < 25; ++i) expected += encoded(i, i % 2);
  EXPECT_EQ(body, expected) << "one request carries every row, in order";
}

TEST(Pipeline, BatchMaxRowsCutsLoads) {
  Budget budget(1 << 20);
  FakeDriver d;
  Pipeline::Config c = small_config();
  c.chunk_bytes = 4096;
  c.batch_max_rows = 3;
  Pipeline p(c, &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
  append_rows(p, 0, 10);
  ASSERT_TRUE(p.flush().ok());
  ASSERT_EQ(d.rows.size(), 4u);
  EXPECT_EQ(d.rows[0], 3u);
  EXPECT_EQ(d.rows[3], 1u);
  EXPECT_EQ(d.bodies[3], encoded(9, 1));
}

// A batch taken back (a later row of it was invalid) leaves no trace: not in the body, not in
// the budget, not in the load thresholds — whether it filled several chunks, crossed a load cut,
// or began on a partly filled chunk or on none.
TEST(Pipeline, ARolledBackBatchLeavesNoTrace) {
  for (bool begins_on_a_chunk : {true, false}) {
    SCOPED_TRACE(begins_on_a_chunk ? "batch begins on a partly filled chunk" : "on no chunk");
    Budget budget(1 << 20);
    FakeDriver d;
    Pipeline::Config c = small_config();
    c.batch_max_rows = 12;  // the taken-back batch crosses a load cut
    Pipeline p(c, &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
    if (begins_on_a_chunk) append_rows(p, 0, 2);  // 35 bytes: a partly filled 64-byte chunk
    const uint64_t held = p.held_bytes();
    ASSERT_TRUE(p.reserve(40 * 32, Clock::now() + 1s, false).ok());
    for (int i = 100; i < 140; ++i) append(p, row(i), 0);  // several chunks, one load cut
    p.rollback_batch();
    EXPECT_EQ(p.held_bytes(), held);
    EXPECT_EQ(budget.used(), held) << "the reservation and the rows' bytes came back";
    {
      std::lock_guard<std::mutex> lock(d.mu);
      EXPECT_TRUE(d.bodies.empty()) << "nothing of the batch reached the I/O thread";
    }
    // The next batch continues where the last good one ended, with the load's row count as it
    // was: 2 + 10 rows make the first load, the remaining 2 a second one.
    append_rows(p, 2, 14);
    ASSERT_TRUE(p.flush().ok());
    std::string first, second;
    for (int i = begins_on_a_chunk ? 0 : 2; i < 14; ++i) {
      (i < (begins_on_a_chunk ? 12 : 14) ? first : second) += encoded(i, i % 2);
    }
    ASSERT_FALSE(d.bodies.empty());
    EXPECT_EQ(d.bodies[0], first);
    if (begins_on_a_chunk) {
      ASSERT_EQ(d.bodies.size(), 2u);
      EXPECT_EQ(d.bodies[1], second);
    } else {
      EXPECT_EQ(d.bodies.size(), 1u);
    }
    EXPECT_EQ(budget.used(), 0u);
  }
}

// The budget's counter is exactly what the pipeline holds plus what it has reserved, at every
// step: batches that fill several chunks and cross load cuts, a batch taken back, reservations
// refused because the budget is too small, and a batch that encodes to more than it reserved
// while another holder fills the budget (the surplus is counted, never dropped). A second thread
// checks all along that the counter never falls below what is held; at the end it is back to
// exactly what the other holder still has, then to zero.
TEST(Pipeline, TheBudgetCountsExactlyWhatIsHeldAndReturnsToZero) {
  for (bool replayable : {true, false}) {
    SCOPED_TRACE(replayable ? "replayable bodies" : "bodies freed as they are sent");
    constexpr uint64_t kCapacity = 4096, kOther = 512;
    Budget budget(kCapacity);
    ASSERT_TRUE(budget.try_acquire(kOther));  // another sink of the registration
    std::promise<void> gate;
    std::shared_future<void> open_gate = gate.get_future().share();
    FakeDriver d;
    Pipeline::Config c = small_config();  // 64-byte chunks
    c.batch_max_rows = 7;                 // loads are cut inside batches
    c.replayable = replayable;
    Pipeline p(c, &budget,
               [&](BodySource& b) {
                 open_gate.wait();  // nothing is freed until the test lets the loads go
                 return d.send(b);
               },
               nullptr);
    std::atomic<uint64_t> others{kOther};  // what other holders have taken
    std::atomic<bool> done{false};
    std::atomic<uint64_t> under_counts{0};
    std::thread monitor([&] {
      // The counter and held_bytes() are separate: counting goes budget first, then held;
      // freeing held first, then budget. Held is read on both sides of the counter, so a sample
      // never catches a change half done.
      while (!done.load()) {
        const uint64_t other = others.load(), held_before = p.held_bytes();
        const uint64_t used = budget.used();
        const uint64_t held = std::min(held_before, p.held_bytes());
        if (used < other + held) under_counts++;
      }
    });
    struct Join {
      std::atomic<bool>& done;
      std::thread& t;
      std::promise<void>* gate;
      ~Join() {
        done = true;
        if (t.joinable()) t.join();
        if (gate) gate->set_value();  // let a failed test's pipeline stop
      }
    } join{done, monitor, &gate};
    auto exact = [&](const char* when) {
      EXPECT_EQ(budget.used(), others.load() + p.held_bytes()) << when;
    };

    append_rows(p, 0, 10);  // ~170 bytes: three chunks, one load cut
    exact("after a batch over several chunks and a load cut");
    append_rows(p, 10, 20);
    exact("after a second batch");
    ASSERT_TRUE(p.reserve(40 * 32, Clock::now() + 1s, false).ok());
    for (int i = 100; i < 140; ++i) append(p, row(i), 0);
    p.rollback_batch();
    exact("after a batch taken back");
    // Too big for what is left: refused at once (no wait), or after the deadline.
    EXPECT_EQ(p.reserve(kCapacity, Clock::now(), true).code(), SR_SINK_E_RETRY_LATER);
    exact("after a refused reservation");
    EXPECT_EQ(p.reserve(kCapacity, Clock::now() + 20ms, false).code(), SR_SINK_E_TIMEOUT);
    exact("after a reservation that timed out");
    // The budget is full (another holder takes what is left); a batch that reserved too little
    // still has all its bytes counted.
    const uint64_t filler = kCapacity - budget.used();
    ASSERT_TRUE(budget.try_acquire(filler));
    others += filler;
    ASSERT_TRUE(p.reserve(0, Clock::now(), true).ok());
    for (int i = 20; i < 30; ++i) append(p, row(i), 0);
    p.end_batch();
    exact("after a batch that used more than it reserved, on a full budget");
    EXPECT_GT(budget.used(), kCapacity) << "the surplus shows as an overshoot, not as a loss";

    gate.set_value();
    join.gate = nullptr;
    ASSERT_TRUE(p.flush().ok());
    EXPECT_EQ(p.held_bytes(), 0u);
    EXPECT_EQ(budget.used(), kOther + filler) << "exactly the other holder's bytes are left";
    done = true;
    monitor.join();
    EXPECT_EQ(under_counts.load(), 0u) << "the counter fell below what the pipeline held";
    std::string all, expected;
    for (const auto& b : d.bodies) all += b;
    for (int i = 0; i < 30; ++i) expected += encoded(i, i < 20 ? i % 2 : 0);
    EXPECT_EQ(all, expected);
    budget.release(kOther + filler);
    EXPECT_EQ(budget.used(), 0u);
  }
}

TEST(Pipeline, BatchMaxBytesCutsLoads) {
  Budget budget(1 << 20);
  FakeDriver d;
  Pipeline::Config c = small_config();
  c.chunk_bytes = 4096;
  c.batch_max_bytes = 100;  // each row is 17-18 bytes
  Pipeline p(c, &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
  append_rows(p, 0, 12);
  ASSERT_TRUE(p.flush().ok());
  EXPECT_GE(d.bodies.size(), 2u);
  std::string all;
  for (const auto& b : d.bodies) {
    EXPECT_LE(b.size(), 100u + 20u);
    all += b;
  }
  std::string expected;
  for (int i = 0; i < 12; ++i) expected += encoded(i, i % 2);
  EXPECT_EQ(all, expected);
}

TEST(Pipeline, AFailedLoadIsReportedAndTheRestDropped) {
  Budget budget(1 << 20);
  FakeDriver d;
  d.result = Status::Error(SR_SINK_E_LOAD, "refused");
  Pipeline::Config c = small_config();
  c.batch_max_rows = 2;
  Pipeline p(c, &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
  append_rows(p, 0, 6);
  Status st = p.flush();
  EXPECT_EQ(st.code(), SR_SINK_E_LOAD);
  EXPECT_EQ(p.error().code(), SR_SINK_E_LOAD) << "sticky";
  EXPECT_EQ(p.reserve(10, Clock::now(), true).code(), SR_SINK_E_LOAD);
  EXPECT_EQ(d.bodies.size(), 1u) << "nothing after the failed load is sent";
  p.stop();
  EXPECT_EQ(budget.used(), 0u);
}

TEST(Pipeline, ReplayableBodyRewindsToTheSameBytes) {
  Budget budget(1 << 20);
  std::string first, second;
  bool rewound = false;
  Pipeline p(small_config(), &budget,
             [&](BodySource& b) {
               first = read_all(b);
               rewound = b.rewind();
               second = read_all(b);
               return Status::OK();
             },
             nullptr);
  append_rows(p, 0, 30);
  ASSERT_TRUE(p.flush().ok());
  EXPECT_TRUE(rewound);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST(Pipeline, NonReplayableBodyFreesChunksAsTheyAreSent) {
  Budget budget(1 << 20);
  bool rewound = true;
  uint64_t used_after_read = 1;
  Pipeline::Config c = small_config();
  c.replayable = false;
  Pipeline p(c, &budget,
             [&](BodySource& b) {
               read_all(b);
               used_after_read = budget.used();
               rewound = b.rewind();
               return Status::OK();
             },
             nullptr);
  append_rows(p, 0, 30);
  ASSERT_TRUE(p.flush().ok());
  EXPECT_FALSE(rewound);
  EXPECT_EQ(used_after_read, 0u);
}

TEST(Pipeline, AFullBudgetSendsWhatTheSinkHoldsInsteadOfWaitingForever) {
  // 300 bytes of budget; the first rows stay below the thresholds, so only the pressure relief
  // can free them.
  Budget budget(300);
  FakeDriver d;
  Pipeline::Config c = small_config();
  c.chunk_bytes = 4096;
  Pipeline p(c, &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
  append_rows(p, 0, 6);  // reserves 192 bytes; holds ~105 after the batch
  Status st = p.reserve(250, Clock::now() + 10s, false);
  EXPECT_TRUE(st.ok()) << st.message();
  std::lock_guard<std::mutex> lock(d.mu);
  EXPECT_EQ(d.bodies.size(), 1u);
}

TEST(Pipeline, ZeroWriteTimeoutAnswersRetryLater) {
  Budget budget(100);
  ASSERT_TRUE(budget.try_acquire(100));  // another sink holds everything
  FakeDriver d;
  Pipeline p(small_config(), &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
  EXPECT_EQ(p.reserve(10, Clock::now(), true).code(), SR_SINK_E_RETRY_LATER);
}

TEST(Pipeline, CancelUnblocksAReadWaitingForChunks) {
  Budget budget(1 << 20);
  std::atomic<bool> cancelled{false};
  std::promise<bool> saw_cancel;
  std::promise<void> started;
  Pipeline p(small_config(), &budget,
             [&](BodySource& b) {
               started.set_value();
               char buf[4096];
               bool c = false;
               while (b.read(buf, sizeof(buf), &c) > 0) {
               }
               saw_cancel.set_value(c);
               return Status::Error(SR_SINK_E_CANCELLED, "cancelled");
             },
             &cancelled);
  append_rows(p, 0, 10);  // > 64 bytes: the request starts and waits for more
  ASSERT_EQ(started.get_future().wait_for(10s), std::future_status::ready);
  cancelled = true;
  p.cancel();
  auto f = saw_cancel.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(f.get());
}

TEST(Pipeline, AnIdleRequestIsEndedAndLaterRowsGoIntoANewOne) {
  Budget budget(1 << 20);
  FakeDriver d;
  std::promise<void> first_done;
  Pipeline::Config c = small_config();
  c.idle_seal_ms = 50;
  Pipeline p(c, &budget,
             [&](BodySource& b) {
               Status st = d.send(b);
               std::lock_guard<std::mutex> lock(d.mu);
               if (d.bodies.size() == 1) first_done.set_value();
               return st;
             },
             nullptr);
  append_rows(p, 0, 10);  // > one 64-byte chunk: the request starts, then the writer goes quiet
  ASSERT_EQ(first_done.get_future().wait_for(10s), std::future_status::ready);
  append_rows(p, 10, 20);
  ASSERT_TRUE(p.flush().ok());
  std::lock_guard<std::mutex> lock(d.mu);
  ASSERT_EQ(d.bodies.size(), 2u);
  std::string all = d.bodies[0] + d.bodies[1], expected;
  for (int i = 0; i < 20; ++i) expected += encoded(i, i % 2);
  EXPECT_EQ(all, expected) << "every row exactly once, in order";
  EXPECT_EQ(d.rows[0] + d.rows[1], 20u);
}

TEST(Pipeline, ARequestOlderThanMaxAgeIsEnded) {
  Budget budget(1 << 20);
  FakeDriver d;
  Pipeline::Config c = small_config();
  c.max_request_age_ms = 0;  // every handoff ends the request
  Pipeline p(c, &budget, [&](BodySource& b) { return d.send(b); }, nullptr);
  append_rows(p, 0, 20);
  ASSERT_TRUE(p.flush().ok());
  std::lock_guard<std::mutex> lock(d.mu);
  EXPECT_GE(d.bodies.size(), 3u);
  std::string all, expected;
  for (const auto& b : d.bodies) all += b;
  for (int i = 0; i < 20; ++i) expected += encoded(i, i % 2);
  EXPECT_EQ(all, expected);
}

}  // namespace
}  // namespace srs
