// The fixture of the in-process on_checkpoint tests (in_process_test.cpp, eo_features_test.cpp):
// one sr-emulator with table eo.t(id BIGINT key, val VARCHAR(32)), a connector with captured
// logs, and the host's side of open / write / checkpoint through the public C ABI.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator_fixture.h"
#include "sink_harness.h"

namespace eotest {

inline const char* kColumns = R"json([{"name":"id","type":"BIGINT","key":true,"nullable":false},
                                      {"name":"val","type":"VARCHAR(32)"}])json";

inline std::string row(int id, const std::string& val) {
  return "{\"id\":" + std::to_string(id) + ",\"val\":\"" + val + "\"}";
}

// Takes the token's bytes and releases it (the host's side of the ownership contract).
inline std::string take(sr_sink_token* t) {
  std::string s(reinterpret_cast<const char*>(t->data), t->len);
  t->release(t);
  EXPECT_EQ(t->release, nullptr);
  return s;
}

inline std::vector<std::string> labels_of(const std::string& token) {
  srtest::Json j(token);
  std::vector<std::string> out;
  const cJSON* it = nullptr;
  cJSON_ArrayForEach(it, j.at({"txns"})) {
    out.push_back(cJSON_GetObjectItemCaseSensitive(it, "label")->valuestring);
  }
  return out;
}

class EoSinkTest : public ::testing::Test {
 public:  // also used by scenario helpers outside the fixture
  void SetUp() override {
    ASSERT_TRUE(emu.start()) << emu.error();
    ASSERT_TRUE(emu.create_table("eo", "t", kColumns));
    ASSERT_TRUE(h.ok());
  }
  // on_checkpoint options (the default mode) with label prefix "ip"; `extra` goes inside the
  // object (",\"max_retries\":0").
  std::string options(const std::string& extra = "") const {
    return "{\"http_url\":\"" + emu.fe_url() + "\",\"label_prefix\":\"ip\",\"retry_backoff_ms\":10" +
           srtest::format_option() + extra + "}";
  }
  sr_sink* open(const std::string& instance, const std::string& token = "",
                int32_t expect = SR_SINK_OK, srtest::Harness* on = nullptr,
                const std::string& table = "eo.t",
                std::vector<std::string> cols = {"id", "val"}) {
    sr_sink* s = nullptr;
    sr_sink_error err = srtest::new_error();
    EXPECT_EQ((on ? on : &h)->open(table, cols, &s, &err, instance, token), expect) << err.message;
    last_error = err.message;
    return s;
  }
  std::string checkpoint(sr_sink* s, int64_t id) {
    sr_sink_token t{};
    t.struct_size = sizeof t;
    sr_sink_error err = srtest::new_error();
    EXPECT_EQ(sr_sink_on_checkpoint(s, id, &t, &err), SR_SINK_OK) << err.message;
    return t.release ? take(&t) : "";
  }
  void write(sr_sink* s, std::vector<std::string> rows) {
    sr_sink_error err = srtest::new_error();
    ASSERT_EQ(srtest::write_rows(s, rows, {}, &err), SR_SINK_OK) << err.message;
  }

  srtest::Emulator emu;
  srtest::Harness h;
  std::string last_error;
};

}  // namespace eotest
