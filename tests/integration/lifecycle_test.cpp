// Close, cancel and backpressure: what is not flushed is never loaded; cancel unblocks.
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "integration_common.h"

namespace srtest {
namespace {

using namespace std::chrono_literals;
using Lifecycle = SinkTest;

std::vector<std::string> big_batch(int from, int n, size_t pad) {
  std::vector<std::string> b;
  for (int i = from; i < from + n; ++i) b.push_back(order(i, std::string(pad, 'p'), "1"));
  return b;
}

TEST_F(Lifecycle, CloseWithoutAWatermarkLoadsNothing) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2")}), SR_SINK_OK);
  sr_sink_error err = new_error();
  EXPECT_EQ(close(s, &err), SR_SINK_OK) << err.message;
  EXPECT_TRUE(rows().empty());
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 0);
  EXPECT_TRUE(h.log.contains("2 closed sink for shop.orders with 2 rows not loaded")) << h.log.all();
}

TEST_F(Lifecycle, CloseAbandonsALoadThatIsAlreadyStreaming) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  // > 1 MiB: the first chunk is full, so the request is open and streaming.
  for (int b = 0; b < 4; ++b) ASSERT_EQ(write_rows(s, big_batch(b * 1000, 1000, 400)), SR_SINK_OK);
  ASSERT_TRUE(h.log.wait_for("sending, attempt 1", 30s)) << h.log.all();
  EXPECT_EQ(close(s), SR_SINK_OK);
  EXPECT_TRUE(rows().empty());
  EXPECT_EQ(emu().stat({"loads", "Success"}), 0);
}

TEST_F(Lifecycle, FreeingTheConnectorClosesSinksLeftOpen) {
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  open_.clear();  // left for sr_sink_connector_free (the Harness destructor)
}

TEST_F(Lifecycle, CancelUnblocksAWriteBlockedOnAFullBudget) {
  // The load hangs, so its chunks stay in memory until the 1 MiB budget (the smallest allowed) is full.
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"hang","times":-1})"), 0);
  sr_sink* s = open_orders(",\"memory_budget_bytes\":1048576,\"write_timeout_ms\":600000");
  ASSERT_NE(s, nullptr);
  auto writer = std::async(std::launch::async, [&] {
    sr_sink_error err = new_error();
    for (int b = 0; b < 1000; ++b) {
      int32_t rc = write_rows(s, big_batch(b * 100, 100, 200), {}, &err);
      if (rc != SR_SINK_OK) return rc;
    }
    return (int32_t)SR_SINK_OK;
  });
  ASSERT_TRUE(h.log.wait_for("waits for the memory budget", 60s)) << h.log.all();
  sr_sink_cancel(s);
  ASSERT_EQ(writer.wait_for(30s), std::future_status::ready) << "cancel unblocked the write";
  EXPECT_EQ(writer.get(), SR_SINK_E_CANCELLED);
  sr_sink_error err = new_error();
  EXPECT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_E_CANCELLED) << "only close is useful now";
  EXPECT_EQ(close(s), SR_SINK_OK);
  EXPECT_TRUE(rows().empty());
}

TEST_F(Lifecycle, AZeroWriteTimeoutAnswersRetryLaterOnAFullBudget) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"hang","times":-1})"), 0);
  sr_sink* s = open_orders(",\"memory_budget_bytes\":1048576,\"write_timeout_ms\":0");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  int32_t rc = SR_SINK_OK;
  uint64_t taken = 0;
  for (int b = 0; b < 1000 && rc == SR_SINK_OK; ++b) {
    rc = write_rows(s, big_batch(b * 100, 100, 200), {}, &err);
    if (rc == SR_SINK_OK) taken += 100;
  }
  EXPECT_EQ(rc, SR_SINK_E_RETRY_LATER) << err.message;
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_RETRYABLE, 0u);
  EXPECT_EQ(sink_stats(s).rows_written, taken) << "the refused batch was not taken";
  EXPECT_LE(sink_stats(s).buffered_bytes, 1048576u + 128 * 1024u);
  sr_sink_cancel(s);
}

TEST_F(Lifecycle, CancelInterruptsAWatermarkWaitingForAHangingLoad) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"hang","times":-1})"), 0);
  sr_sink* s = open_orders();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  auto wm = std::async(std::launch::async, [&] {
    sr_sink_error err = new_error();
    return sr_sink_on_watermark(s, 1, &err);
  });
  ASSERT_TRUE(h.log.wait_for("sending, attempt 1", 30s)) << h.log.all();
  sr_sink_cancel(s);
  ASSERT_EQ(wm.wait_for(30s), std::future_status::ready);
  EXPECT_EQ(wm.get(), SR_SINK_E_CANCELLED);
}

TEST_F(Lifecycle, StatsCanBeReadWhileWriting) {
  sr_sink* s = open_orders(",\"batch_max_rows\":50");
  ASSERT_NE(s, nullptr);
  // The reader blocks for up to 1 ms between reads, and wakes at once when the writer is done.
  // It must not spin: sr_sink_get_stats is a few lock-free loads, so a spinning reader never
  // enters the kernel, and under valgrind (one thread at a time, handed over unfairly by
  // default) it kept the writer and the I/O thread from running for as long as CI allowed.
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::promise<void> first_read;
  int reads = 0;
  std::string regressions;  // counters that went backwards (they only ever grow)
  std::thread reader([&] {
    sr_sink_stats prev = sink_stats(s);
    first_read.set_value();
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, 1ms, [&] { return done; })) {
      lock.unlock();
      sr_sink_stats now = sink_stats(s);
      lock.lock();
      ++reads;
      if (now.rows_written < prev.rows_written) regressions += " rows_written";
      if (now.bytes_written < prev.bytes_written) regressions += " bytes_written";
      if (now.rows_loaded < prev.rows_loaded) regressions += " rows_loaded";
      if (now.bytes_sent < prev.bytes_sent) regressions += " bytes_sent";
      if (now.loads < prev.loads) regressions += " loads";
      prev = now;
    }
  });
  auto stop_reader = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      done = true;
    }
    cv.notify_all();
    reader.join();
  };
  first_read.get_future().wait();  // reads overlap the writes below, not only what follows
  for (int b = 0; b < 20; ++b) {
    if (write_rows(s, big_batch(b * 100, 100, 10)) != SR_SINK_OK) {
      stop_reader();
      FAIL() << "write " << b << " failed";
    }
  }
  int32_t rc = sr_sink_on_watermark(s, 1, nullptr);
  stop_reader();
  ASSERT_EQ(rc, SR_SINK_OK);
  EXPECT_EQ(regressions, "") << "after " << reads << " reads";
  EXPECT_EQ(sink_stats(s).rows_loaded, 2000u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "rows"}), 2000);
}

TEST_F(Lifecycle, SinksOfOneRegistrationWriteConcurrentlyAndShareTheBudget) {
  ASSERT_TRUE(emu().create_table("shop", "items", kOrdersColumns));
  sr_sink* a = open_orders(",\"memory_budget_bytes\":1048576,\"batch_max_rows\":300");
  ASSERT_NE(a, nullptr);
  sr_sink* b = nullptr;
  sr_sink_error err = new_error();
  ASSERT_EQ(h.open("shop.items", {"id", "name", "amount"}, &b, &err), SR_SINK_OK) << err.message;
  open_.push_back(b);
  auto run = [](sr_sink* s) {
    sr_sink_error e = new_error();
    for (int i = 0; i < 20; ++i) {
      int32_t rc = write_rows(s, big_batch(i * 100, 100, 300), {}, &e);
      if (rc != SR_SINK_OK) return rc;
      if (i % 7 == 6 && (rc = sr_sink_on_watermark(s, i, &e)) != SR_SINK_OK) return rc;
    }
    return sr_sink_on_watermark(s, 100, &e);
  };
  auto fa = std::async(std::launch::async, run, a);
  auto fb = std::async(std::launch::async, run, b);
  EXPECT_EQ(fa.get(), SR_SINK_OK);
  EXPECT_EQ(fb.get(), SR_SINK_OK);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "rows"}), 2000);
  EXPECT_EQ(emu().stat({"tables", "shop.items", "rows"}), 2000);
  EXPECT_EQ(sink_stats(a).buffered_bytes + sink_stats(b).buffered_bytes, 0u);
}

TEST_F(Lifecycle, AWriteThatWaitsPastWriteTimeoutTakesNothing) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"hang","times":-1})"), 0);
  sr_sink* s = open_orders(",\"memory_budget_bytes\":1048576,\"write_timeout_ms\":200");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  int32_t rc = SR_SINK_OK;
  uint64_t taken = 0;
  for (int b = 0; b < 1000 && rc == SR_SINK_OK; ++b) {
    rc = write_rows(s, big_batch(b * 100, 100, 200), {}, &err);
    if (rc == SR_SINK_OK) taken += 100;
  }
  EXPECT_EQ(rc, SR_SINK_E_TIMEOUT) << err.message;
  EXPECT_NE(std::string(err.message).find("memory_budget_bytes"), std::string::npos) << err.message;
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_RETRYABLE, 0u);
  EXPECT_EQ(err.flags & SR_SINK_ERROR_F_FATAL, 0u) << "the sink stays usable";
  EXPECT_EQ(sink_stats(s).rows_written, taken);
  sr_sink_cancel(s);
}

TEST_F(Lifecycle, CancelInterruptsARetryBackoff) {
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"not_master","times":-1})"), 0);
  sr_sink* s = open_orders(",\"retry_backoff_ms\":600000");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  auto wm = std::async(std::launch::async, [&] {
    sr_sink_error err = new_error();
    return sr_sink_on_watermark(s, 1, &err);
  });
  // Backoffs are capped at 30 s, jittered down to no less than half of that.
  ASSERT_TRUE(h.log.wait_for("retrying in ", 30s)) << h.log.all();
  sr_sink_cancel(s);
  ASSERT_EQ(wm.wait_for(30s), std::future_status::ready) << "the 30 s backoff was interrupted";
  EXPECT_EQ(wm.get(), SR_SINK_E_CANCELLED);
}

}  // namespace
}  // namespace srtest
