// Option `compression` end to end against a real sr-emulator process (not --discard, so the
// emulator decodes every body with its own decompressor and parses the rows): for each algorithm
// and both execution modes, the same rows written through a compressing sink and through a plain
// one leave identical tables. Loads are cut small, so a transaction carries several loads (which
// StarRocks accepts only when their headers are identical) and on_watermark sends several Stream
// Loads. bytes_sent counts the compressed bytes the emulator received.
#include <string>
#include <tuple>
#include <vector>

#include "integration_common.h"

namespace srtest {
namespace {

struct Case {
  const char* compression;
  const char* mode;
};

class Compression : public SinkTest, public ::testing::WithParamInterface<Case> {
 protected:
  void SetUp() override {
    SinkTest::SetUp();
    ASSERT_TRUE(emu().create_table("shop", "plain", kOrdersColumns));
  }

  // Options of one registration; `extra` is appended inside the object.
  std::string opts(const char* mode, const std::string& extra) const {
    return "{\"http_url\":\"" + emu().fe_url() + "\",\"execution_mode\":\"" + mode +
           "\",\"retry_backoff_ms\":20,\"batch_max_bytes\":16384" + format_option() + extra + "}";
  }

  sr_sink* open_table(const std::string& table, const std::string& instance) {
    sr_sink* s = nullptr;
    sr_sink_error err = new_error();
    int32_t rc = h.open(table, {"id", "name", "amount"}, &s, &err, instance);
    EXPECT_EQ(rc, SR_SINK_OK) << sr_sink_status_name(rc) << ": " << err.message;
    if (s) open_.push_back(s);
    return s;
  }

  // Two epochs: inserts, then updates and deletes of some of them. Text repeats, as real rows
  // do, so every algorithm shrinks it.
  static std::vector<std::vector<std::string>> epochs(std::vector<std::vector<uint8_t>>* ops) {
    std::vector<std::vector<std::string>> out(2);
    ops->assign(2, {});
    for (int i = 0; i < 3000; ++i) {
      out[0].push_back(order(i, "customer-" + std::to_string(i % 97), std::to_string(i % 500) + ".25"));
      (*ops)[0].push_back(SR_SINK_OP_UPSERT);
    }
    for (int i = 0; i < 3000; i += 7) {
      if (i % 2) {
        out[1].push_back("{\"id\":" + std::to_string(i) + "}");
        (*ops)[1].push_back(SR_SINK_OP_DELETE);
      } else {
        out[1].push_back(order(i, "updated-" + std::to_string(i), "9.99"));
        (*ops)[1].push_back(SR_SINK_OP_UPSERT);
      }
    }
    return out;
  }

  // Ends epoch `n` of `s` so its rows are visible.
  void end_epoch(sr_sink* s, const std::string& mode, int64_t n) {
    sr_sink_error err = new_error();
    if (mode == "on_watermark") {
      ASSERT_EQ(sr_sink_on_watermark(s, n, &err), SR_SINK_OK) << err.message;
      return;
    }
    sr_sink_token t{};
    t.struct_size = sizeof t;
    ASSERT_EQ(sr_sink_on_checkpoint(s, n, &t, &err), SR_SINK_OK) << err.message;
    t.release(&t);
    ASSERT_EQ(sr_sink_commit(s, n, &err), SR_SINK_OK) << err.message;
  }
};

TEST_P(Compression, TableEqualsTheUncompressedLoadAndBytesSentAreWireBytes) {
  const Case c = GetParam();
  const std::string mode = c.mode;
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("shop.orders", opts(c.mode, std::string(",\"compression\":\"") + c.compression + "\""), &err),
            SR_SINK_OK) << err.message;
  ASSERT_EQ(h.add("shop.plain", opts(c.mode, ""), &err), SR_SINK_OK) << err.message;
  sr_sink* zipped = open_table("shop.orders", "job/zipped");
  sr_sink* plain = open_table("shop.plain", "job/plain");
  ASSERT_TRUE(zipped && plain);

  std::vector<std::vector<uint8_t>> ops;
  auto data = epochs(&ops);
  for (size_t e = 0; e < data.size(); ++e) {
    // Several write calls per epoch, like a host would.
    for (size_t from = 0; from < data[e].size(); from += 250) {
      size_t to = std::min(data[e].size(), from + 250);
      std::vector<std::string> rows(data[e].begin() + from, data[e].begin() + to);
      std::vector<uint8_t> op(ops[e].begin() + from, ops[e].begin() + to);
      ASSERT_EQ(write_rows(zipped, rows, op, &err), SR_SINK_OK) << err.message;
      ASSERT_EQ(write_rows(plain, rows, op, &err), SR_SINK_OK) << err.message;
    }
    end_epoch(zipped, mode, static_cast<int64_t>(e + 1));
    end_epoch(plain, mode, static_cast<int64_t>(e + 1));
  }

  const std::vector<std::string> got = emu().rows("shop", "orders");
  const std::vector<std::string> want = emu().rows("shop", "plain");
  ASSERT_EQ(want.size(), 2786u) << "the plain sink's table is the reference";
  EXPECT_EQ(got, want);

  sr_sink_stats z = sink_stats(zipped), p = sink_stats(plain);
  EXPECT_GT(z.loads, 4u) << "small batches: several loads (per transaction in on_checkpoint)";
  EXPECT_EQ(z.load_failures, 0u);
  EXPECT_EQ(z.bytes_written, p.bytes_written) << "bytes_written is the uncompressed NDJSON";
  EXPECT_EQ(p.bytes_sent, p.bytes_written);
  EXPECT_LT(z.bytes_sent * 2, z.bytes_written) << "repetitive rows compress well";
  EXPECT_GT(z.bytes_sent, 0u);
  // Nothing was retried, so the emulator received exactly what both sinks counted as sent.
  EXPECT_EQ(static_cast<uint64_t>(emu().stat({"bytes_received"})), z.bytes_sent + p.bytes_sent);
}

INSTANTIATE_TEST_SUITE_P(
    AllAlgorithms, Compression,
    ::testing::Values(Case{"lz4_frame", "on_watermark"}, Case{"zstd", "on_watermark"},
                      Case{"gzip", "on_watermark"}, Case{"lz4_frame", "on_checkpoint"},
                      Case{"zstd", "on_checkpoint"}, Case{"gzip", "on_checkpoint"}),
    [](const ::testing::TestParamInfo<Case>& i) {
      return std::string(i.param.compression) + "_" + i.param.mode;
    });

class CompressionRetry : public SinkTest {};

// A load whose connection drops mid-body is settled and resent under the same label; the resent
// frame is complete and decodes to the same rows.
TEST_F(CompressionRetry, ADroppedLoadIsResentWholeAndLoadsOnce) {
  sr_sink* s = open_orders(",\"compression\":\"lz4_frame\",\"compression_level\":1");
  ASSERT_NE(s, nullptr);
  ASSERT_GE(emu().add_fault(R"({"point":"be_stream_load","action":"drop","after_bytes":20,"times":1})"), 0);
  std::vector<std::string> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(order(i, "n" + std::to_string(i % 10), "1.50"));
  sr_sink_error err = new_error();
  ASSERT_EQ(write_rows(s, batch, {}, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 2000u);
  sr_sink_stats st = sink_stats(s);
  EXPECT_EQ(st.loads, 1u);
  EXPECT_GE(st.retries, 1u);
  EXPECT_EQ(st.rows_loaded, 2000u);
}

// The benchmark's server: --discard keeps nothing and counts rows as newlines of the decoded
// body, so a compressed load must report the rows written, not the newlines of its frame.
class CompressionDiscard : public SinkTest {
 protected:
  std::vector<std::string> emulator_args() const override { return {"--discard"}; }
};

TEST_F(CompressionDiscard, RowsCountedByTheEmulatorAreTheRowsWritten) {
  for (const char* algo : {"lz4_frame", "zstd", "gzip"}) {
    SCOPED_TRACE(algo);
    Harness local;
    ASSERT_TRUE(local.ok());
    sr_sink_error err = new_error();
    ASSERT_EQ(local.add("*", options(std::string(",\"compression\":\"") + algo + "\""), &err), SR_SINK_OK)
        << err.message;
    sr_sink* s = nullptr;
    ASSERT_EQ(local.open("shop.orders", {"id", "name", "amount"}, &s, &err), SR_SINK_OK) << err.message;
    const int64_t before = emu().stat({"discarded_rows"});
    std::vector<std::string> batch;
    for (int i = 0; i < 5000; ++i) batch.push_back(order(i, "same-name", "2.50"));
    ASSERT_EQ(write_rows(s, batch, {}, &err), SR_SINK_OK) << err.message;
    ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
    EXPECT_EQ(emu().stat({"discarded_rows"}) - before, 5000);
    EXPECT_EQ(sink_stats(s).rows_loaded, 5000u) << "the emulator's NumberLoadedRows";
    EXPECT_EQ(sr_sink_close(s, nullptr), SR_SINK_OK);
  }
}

}  // namespace
}  // namespace srtest
