// The C ABI rules of abi/sr_sink.h that need no server: argument checks, struct_size handling,
// error struct filling, vtable negotiation, ownership of credentials.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "emulator_fixture.h"
#include "sink_harness.h"
#include "sr_sink.h"

namespace {

using srtest::new_error;

TEST(Abi, VtableRefusesAnotherMajorVersion) {
  sr_sink_vtable v;
  EXPECT_EQ(sr_sink_get_vtable((2u << 16), &v, sizeof(v)), SR_SINK_E_VERSION);
}

TEST(Abi, VtableRefusesNullAndTooSmallTables) {
  sr_sink_vtable v;
  EXPECT_EQ(sr_sink_get_vtable(SR_SINK_ABI_VERSION, nullptr, sizeof(v)), SR_SINK_E_INVALID_ARGUMENT);
  const size_t v1_0 = offsetof(sr_sink_vtable, connector_register);  // the 1.0 table
  EXPECT_EQ(sr_sink_get_vtable(SR_SINK_ABI_VERSION, &v, v1_0 - 1), SR_SINK_E_INVALID_ARGUMENT);
}

TEST(Abi, VtableOfAnEarlierMinorHostGetsTheSlotsThatFit) {
  // A 1.0 host's table ends before the 1.1 slots: it is filled up to there, and nothing beyond
  // its size is written.
  const size_t v1_0 = offsetof(sr_sink_vtable, connector_register);
  struct Guarded {
    sr_sink_vtable v;
  } g;
  std::memset(&g, 0xAB, sizeof(g));
  ASSERT_EQ(sr_sink_get_vtable((1u << 16) | 0u, &g.v, v1_0), SR_SINK_OK);
  EXPECT_EQ(g.v.struct_size, v1_0);
  EXPECT_EQ(g.v.get_stats, &sr_sink_get_stats);
  const unsigned char* tail = reinterpret_cast<const unsigned char*>(&g.v) + v1_0;
  for (size_t i = 0; i < sizeof(g.v) - v1_0; ++i) EXPECT_EQ(tail[i], 0xAB) << i;
}

TEST(Abi, VtableHasTheSlotsOf1_1) {
  sr_sink_vtable v;
  ASSERT_EQ(sr_sink_get_vtable(SR_SINK_ABI_VERSION, &v, sizeof(v)), SR_SINK_OK);
  EXPECT_EQ(v.connector_register, &sr_sink_connector_register);
}

TEST(Abi, VtableSlotsAreTheDirectExports) {
  sr_sink_vtable v;
  ASSERT_EQ(sr_sink_get_vtable(SR_SINK_ABI_VERSION, &v, sizeof(v)), SR_SINK_OK);
  EXPECT_EQ(v.struct_size, sizeof(v));
  EXPECT_EQ(v.abi_version, SR_SINK_ABI_VERSION);
  EXPECT_EQ(v.open, &sr_sink_open);
  EXPECT_EQ(v.write, &sr_sink_write);
  EXPECT_EQ(v.get_stats, &sr_sink_get_stats);
  EXPECT_EQ(v.cancel, &sr_sink_cancel);
}

TEST(Abi, VtableOfALaterMinorHostGetsNullForUnknownSlots) {
  struct Bigger {
    sr_sink_vtable v;
    void* future_slots[4];
  } b;
  std::memset(&b, 0xAB, sizeof(b));
  ASSERT_EQ(sr_sink_get_vtable(SR_SINK_ABI_VERSION + 1, &b.v, sizeof(b)), SR_SINK_OK);
  EXPECT_EQ(b.v.struct_size, sizeof(sr_sink_vtable));
  for (void* p : b.future_slots) EXPECT_EQ(p, nullptr);
}

TEST(Abi, StatusNamesCoverEveryCode) {
  EXPECT_STREQ(sr_sink_status_name(SR_SINK_OK), "SR_SINK_OK");
  EXPECT_STREQ(sr_sink_status_name(SR_SINK_E_CONFIG), "SR_SINK_E_CONFIG");
  EXPECT_STREQ(sr_sink_status_name(SR_SINK_E_INTERNAL), "SR_SINK_E_INTERNAL");
  for (int32_t c = 0; c <= SR_SINK_E_INTERNAL; ++c) {
    EXPECT_STRNE(sr_sink_status_name(c), "SR_SINK_E_UNKNOWN") << c;
  }
  EXPECT_STREQ(sr_sink_status_name(999), "SR_SINK_E_UNKNOWN");
}

TEST(Abi, VersionAndBuildInfo) {
  EXPECT_EQ(sr_sink_abi_version(), SR_SINK_ABI_VERSION);
  EXPECT_STREQ(sr_sink_version_string(), SR_SINK_PROJECT_VERSION);
  EXPECT_NE(std::string(sr_sink_build_info()).find("libcurl/"), std::string::npos);
}

TEST(Abi, ConnectorNewChecksItsArguments) {
  sr_sink_error err = new_error();
  EXPECT_EQ(sr_sink_connector_new(nullptr, nullptr, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(err.code, SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err.message).find("out"), std::string::npos);
  sr_sink_host host;
  std::memset(&host, 0, sizeof(host));
  host.struct_size = 4;
  sr_sink_connector* c = nullptr;
  EXPECT_EQ(sr_sink_connector_new(&host, &c, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(c, nullptr);
  EXPECT_NE(std::string(err.message).find("struct_size"), std::string::npos);
  ASSERT_EQ(sr_sink_connector_new(nullptr, &c, &err), SR_SINK_OK);
  sr_sink_connector_free(c);
  sr_sink_connector_free(nullptr);
}

TEST(Abi, ErrorIsResetOnSuccess) {
  sr_sink_error err = new_error();
  err.code = 5;
  err.flags = 7;
  err.http_status = 500;
  std::strcpy(err.label, "old");
  std::strcpy(err.message, "old message");
  sr_sink_connector* c = nullptr;
  ASSERT_EQ(sr_sink_connector_new(nullptr, &c, &err), SR_SINK_OK);
  EXPECT_EQ(err.code, 0);
  EXPECT_EQ(err.flags, 0u);
  EXPECT_EQ(err.http_status, 0);
  EXPECT_STREQ(err.label, "");
  EXPECT_STREQ(err.message, "");
  sr_sink_connector_free(c);
}

TEST(Abi, ErrorWritesOnlyWhatFitsInItsStructSize) {
  std::vector<char> buf(sizeof(sr_sink_error), 'X');
  auto* err = reinterpret_cast<sr_sink_error*>(buf.data());
  const size_t small = offsetof(sr_sink_error, message) + 8;
  err->struct_size = (uint32_t)small;
  EXPECT_EQ(sr_sink_connector_new(nullptr, nullptr, err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(err->code, SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(std::strlen(err->message), 7u) << "truncated and NUL-terminated";
  for (size_t i = small; i < buf.size(); ++i) ASSERT_EQ(buf[i], 'X') << "byte " << i;
}

TEST(Abi, AddSinkChecksArgumentsAndReleasesCredentialsOnFailure) {
  srtest::Harness h;
  ASSERT_TRUE(h.ok());
  sr_sink_error err = new_error();
  srtest::Credentials creds;
  sr_sink_credentials c = creds.c_struct();
  EXPECT_EQ(sr_sink_connector_add_sink(h.connector, nullptr, "{}", &c, &err),
            SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(creds.released(), 1) << "release runs when add_sink fails";
  c.reserved0 = 1;
  EXPECT_EQ(sr_sink_connector_add_sink(h.connector, "*", "{\"http_url\":\"http://h:1\"}", &c, &err),
            SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err.message).find("reserved0"), std::string::npos);
  EXPECT_EQ(creds.released(), 2);
  c.reserved0 = 0;
  EXPECT_EQ(sr_sink_connector_add_sink(h.connector, "*", "{\"http_url\":\"http://h:1\",\"bogus\":1}",
                                       &c, &err),
            SR_SINK_E_CONFIG);
  EXPECT_NE(std::string(err.message).find("bogus"), std::string::npos) << err.message;
  EXPECT_EQ(creds.released(), 3);
}

TEST(Abi, CredentialsAreReleasedOnceWhenTheConnectorIsFreed) {
  srtest::Credentials creds;
  {
    srtest::Harness h;
    ASSERT_EQ(h.add("*", "{\"http_url\":\"http://127.0.0.1:1\"}", nullptr, &creds), SR_SINK_OK);
    EXPECT_EQ(creds.released(), 0);
  }
  EXPECT_EQ(creds.released(), 1);
}

TEST(Abi, OpenWithoutAMatchingGlobIsNoRoute) {
  srtest::Harness h;
  ASSERT_EQ(h.add("other.*", "{\"http_url\":\"http://127.0.0.1:1\",\"execution_mode\":\"on_watermark\"}"),
            SR_SINK_OK);
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  EXPECT_EQ(h.open("shop.orders", {"id"}, &s, &err), SR_SINK_E_NO_ROUTE);
  EXPECT_NE(std::string(err.message).find("shop.orders"), std::string::npos);
  EXPECT_EQ(s, nullptr);
}

TEST(Abi, OpenChecksItsParameters) {
  srtest::Harness h;
  ASSERT_EQ(h.add("*", "{\"http_url\":\"http://127.0.0.1:1\",\"execution_mode\":\"on_watermark\"}"),
            SR_SINK_OK);
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  EXPECT_EQ(h.open("noschema", {"id"}, &s, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err.message).find("db.table"), std::string::npos);
  EXPECT_EQ(h.open("shop.orders", {}, &s, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(h.open("shop.orders", {"id", "id"}, &s, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err.message).find("`id`"), std::string::npos);
  EXPECT_EQ(h.open("shop.orders", {"id", "__op"}, &s, &err), SR_SINK_E_INVALID_ARGUMENT);
  sr_sink_open_params p;
  std::memset(&p, 0, sizeof(p));
  p.struct_size = 8;
  EXPECT_EQ(sr_sink_open(h.connector, &p, &s, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(s, nullptr);
}

TEST(Abi, OpenAgainstAnUnreachableFeIsANetworkError) {
  srtest::Harness h;
  const std::string url = "http://127.0.0.1:" + std::to_string(srtest::closed_port());
  ASSERT_EQ(h.add("*", "{\"http_url\":\"" + url +
                           "\",\"execution_mode\":\"on_watermark\",\"max_retries\":0}"),
            SR_SINK_OK);
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  EXPECT_EQ(h.open("shop.orders", {"id"}, &s, &err), SR_SINK_E_NETWORK);
  EXPECT_NE(std::string(err.message).find("shop.orders"), std::string::npos) << err.message;
  EXPECT_NE(err.flags & SR_SINK_ERROR_F_RETRYABLE, 0u);
}

TEST(Abi, NullHandlesAreRejectedOrIgnoredAsDocumented) {
  sr_sink_error err = new_error();
  EXPECT_EQ(sr_sink_write(nullptr, nullptr, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(sr_sink_on_watermark(nullptr, 1, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(sr_sink_on_checkpoint(nullptr, 1, nullptr, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(sr_sink_commit(nullptr, 1, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(sr_sink_get_stats(nullptr, nullptr, &err), SR_SINK_E_INVALID_ARGUMENT);
  EXPECT_EQ(sr_sink_close(nullptr, &err), SR_SINK_OK);
  sr_sink_cancel(nullptr);
}

}  // namespace
