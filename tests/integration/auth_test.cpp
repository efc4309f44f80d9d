// Credentials: asked for every request, re-asked once after a 401 (rotation), never leaked.
#include <openssl/evp.h>

#include "integration_common.h"

namespace srtest {
namespace {

const char* kOldPassword = "0ld-Pa55w0rd-q7Zx";
const char* kNewPassword = "N3w-S3cret-k9Yw";

std::string base64(const std::string& s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                          reinterpret_cast<const unsigned char*>(s.data()), (int)s.size());
  out.resize(n);
  return out;
}

class Auth : public SinkTest {
 protected:
  std::vector<std::string> emulator_args() const override {
    return {"--users", std::string("root:,alice:") + kOldPassword};
  }
  void SetUp() override {
    SinkTest::SetUp();
    alice_ = std::make_unique<Credentials>("alice", kOldPassword);
  }
  void TearDown() override {
    SinkTest::TearDown();
    h.free_connector();  // releases alice_ while it still exists
  }
  sr_sink* open_as_alice(sr_sink_error* err, const std::string& extra = "") {
    EXPECT_EQ(h.add("*", options(extra), err, alice_.get()), SR_SINK_OK);
    sr_sink* s = nullptr;
    if (h.open("shop.orders", {"id", "name", "amount"}, &s, err) == SR_SINK_OK) open_.push_back(s);
    return s;
  }
  // No secret in anything the library said.
  void expect_no_secret(const std::string& text) {
    for (const char* p : {kOldPassword, kNewPassword}) {
      EXPECT_EQ(text.find(p), std::string::npos) << "password leaked";
      EXPECT_EQ(text.find(base64(std::string("alice:") + p)), std::string::npos) << "header leaked";
    }
  }
  std::unique_ptr<Credentials> alice_;
};

TEST_F(Auth, TheCallbackIsAskedForEveryRequestWithTheTable) {
  sr_sink_error err = new_error();
  sr_sink* s = open_as_alice(&err);
  ASSERT_NE(s, nullptr) << err.message;
  int after_open = alice_->calls();
  EXPECT_GE(after_open, 1);
  EXPECT_EQ(alice_->last_table(), "shop.orders");
  ASSERT_EQ(write_rows(s, {order(1, "a", "1")}), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_GT(alice_->calls(), after_open);
  EXPECT_EQ(alice_->auth_failure_calls(), 0);
  expect_no_secret(h.log.all());
}

TEST_F(Auth, A401IsRetriedOnceWithTheRotatedPassword) {
  sr_sink_error err = new_error();
  sr_sink* s = open_as_alice(&err);
  ASSERT_NE(s, nullptr) << err.message;
  // The password changes on the server; the host learns the new one only when told the old one
  // was refused (after_auth_failure = 1).
  ASSERT_TRUE(emu().set_user("alice", kNewPassword));
  alice_->set_rotated_password(kNewPassword);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1"), order(2, "b", "2")}), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message << "\n" << h.log.all();
  EXPECT_EQ(alice_->auth_failure_calls(), 1);
  EXPECT_EQ(rows().size(), 2u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "upserts"}), 2);
  expect_no_secret(h.log.all());
}

TEST_F(Auth, APersistent401IsAnAuthErrorWithoutTheSecret) {
  alice_->set_password(kNewPassword);  // wrong: the server has the old one
  sr_sink_error err = new_error();
  sr_sink* s = open_as_alice(&err);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(err.code, SR_SINK_E_AUTH);
  EXPECT_EQ(err.http_status, 401);
  EXPECT_NE(std::string(err.message).find("shop.orders"), std::string::npos) << err.message;
  EXPECT_EQ(alice_->auth_failure_calls(), 1) << "asked again once, not more";
  expect_no_secret(err.message);
  expect_no_secret(h.log.all());
}

TEST_F(Auth, AFailingCallbackIsAnAuthError) {
  alice_->set_fail(true);
  sr_sink_error err = new_error();
  sr_sink* s = open_as_alice(&err);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(err.code, SR_SINK_E_AUTH);
  EXPECT_NE(std::string(err.message).find("credentials callback"), std::string::npos) << err.message;
}

TEST_F(Auth, PasswordRotationDuringALoadLeaksNothingAtDebugLevel) {
  sr_sink_error err = new_error();
  sr_sink* s = open_as_alice(&err, ",\"batch_max_rows\":3");
  ASSERT_NE(s, nullptr) << err.message;
  std::vector<std::string> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(order(i, "x", "1"));
  ASSERT_EQ(write_rows(s, batch), SR_SINK_OK);
  ASSERT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_OK) << err.message;
  ASSERT_TRUE(emu().set_user("alice", kNewPassword));
  // Not rotated on the host side: every request now fails with 401.
  ASSERT_EQ(write_rows(s, batch), SR_SINK_OK);
  EXPECT_EQ(sr_sink_on_watermark(s, 2, &err), SR_SINK_E_AUTH);
  EXPECT_EQ(err.http_status, 401);
  expect_no_secret(err.message);
  std::string log = h.log.all();
  EXPECT_NE(log.find("4 HTTP PUT"), std::string::npos) << "DEBUG lines were captured";
  expect_no_secret(log);
}

}  // namespace
}  // namespace srtest
