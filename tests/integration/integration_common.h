// A GoogleTest fixture: one sr-emulator per test with table shop.orders, and a library connector
// with captured logs.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator_fixture.h"
#include "sink_harness.h"

namespace srtest {

// shop.orders: PRIMARY KEY(id), name, amount.
inline const char* kOrdersColumns =
    R"J([{"name":"id","type":"BIGINT","key":true,"nullable":false},)J"
    R"J({"name":"name","type":"VARCHAR(64)"},{"name":"amount","type":"DECIMAL(10,2)"}])J";

inline std::string order(int id, const std::string& name, const std::string& amount) {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"" + name + "\",\"amount\":" + amount + "}";
}

class SinkTest : public ::testing::Test {
 protected:
  // Extra emulator arguments for a test class (e.g. --users).
  virtual std::vector<std::string> emulator_args() const { return {}; }

  void SetUp() override {
    emu_ = std::make_unique<Emulator>(emulator_args());
    ASSERT_TRUE(emu_->start()) << emu_->error();
    ASSERT_TRUE(emu_->create_table("shop", "orders", kOrdersColumns));
    ASSERT_TRUE(h.ok());
  }
  void TearDown() override {
    for (sr_sink* s : open_) sr_sink_close(s, nullptr);
    open_.clear();
  }

  // on_watermark options against the emulator; `extra` is appended inside the object
  // (",\"batch_max_rows\":10").
  std::string options(const std::string& extra = "") const {
    // Short backoffs keep retry tests fast, unless the test sets its own.
    const bool own_backoff = extra.find("retry_backoff_ms") != std::string::npos;
    return "{\"http_url\":\"" + emu().fe_url() + "\",\"execution_mode\":\"on_watermark\"" +
           (own_backoff ? "" : ",\"retry_backoff_ms\":20") + format_option() + extra + "}";
  }

  // Registers "*" with `extra` options and opens shop.orders(id, name, amount).
  sr_sink* open_orders(const std::string& extra = "",
                       std::vector<std::string> columns = {"id", "name", "amount"}) {
    sr_sink_error err = new_error();
    int32_t rc = h.add("*", options(extra), &err);
    EXPECT_EQ(rc, SR_SINK_OK) << err.message;
    if (rc != SR_SINK_OK) return nullptr;
    sr_sink* s = nullptr;
    rc = h.open("shop.orders", columns, &s, &err);
    EXPECT_EQ(rc, SR_SINK_OK) << sr_sink_status_name(rc) << ": " << err.message;
    if (s) open_.push_back(s);
    return s;
  }
  // Closes a sink opened with open_orders before TearDown.
  int32_t close(sr_sink* s, sr_sink_error* err = nullptr) {
    for (auto it = open_.begin(); it != open_.end(); ++it) {
      if (*it == s) {
        open_.erase(it);
        break;
      }
    }
    return sr_sink_close(s, err);
  }

  std::vector<std::string> rows() const { return emu().rows("shop", "orders"); }
  const Emulator& emu() const { return *emu_; }

  std::unique_ptr<Emulator> emu_;
  Harness h;
  std::vector<sr_sink*> open_;
};

}  // namespace srtest
