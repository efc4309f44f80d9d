// The request shapes of transaction loads over the real HttpClient, checked at a scripted HTTP
// server (tests/integration/fake_http_server.h): what the headers carry, byte for byte.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "../integration/fake_http_server.h"
#include "fake_starrocks.h"
#include "http.h"
#include "log.h"
#include "mode_driver.h"
#include "options.h"
#include "txn_ops.h"

namespace {

srtest::FakeResponse txn_ok() {
  srtest::FakeResponse r;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"Status":"OK","Message":"","Label":"l","TxnId":1})";
  return r;
}

TEST(TxnLoadRequest, TheColumnsHeaderBackquotesEveryColumn) {
  srtest::FakeHttpServer server(nullptr, [](const srtest::FakeRequest&) { return txn_ok(); });
  srs::Options opts;
  opts.http_urls = {server.url()};
  opts.max_retries = 0;
  std::atomic<bool> cancelled{false};
  srs::Logger log;
  srs::HttpClient http(opts, nullptr, "shop.kw", &log, &cancelled);
  srs::SinkContext ctx;
  ctx.options = &opts;
  ctx.http = &http;
  ctx.cancelled = &cancelled;
  ctx.db = "shop";
  ctx.table = "kw";
  ctx.columns = {"id", "select", "order", "a b"};
  std::unique_ptr<srs::TxnOps> ops = srs::make_http_txn_ops(ctx);
  srs_test::StringBody body("{\"id\":1,\"__op\":0}\n");
  srs::TxnCall call = ops->load("l", body);
  ASSERT_TRUE(call.answered()) << call.transport.message();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/api/transaction/load");
  EXPECT_EQ(reqs[0].headers["columns"], "`id`,`select`,`order`,`a b`,__op");
}

}  // namespace
