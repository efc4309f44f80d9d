// HttpClient against a scripted server: 307 handling, body replay, 401 re-ask, redirect limits
// and the "may have been delivered" flag.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <atomic>
#include <string>

#include "credentials.h"
#include "emulator_fixture.h"
#include "fake_http_server.h"
#include "http.h"
#include "log.h"
#include "mode_driver.h"

namespace srs {
namespace {

using srtest::FakeHttpServer;
using srtest::FakeRequest;
using srtest::FakeResponse;

// A replayable in-memory body that counts how often it was rewound after being read.
class StringBody final : public BodySource {
 public:
  explicit StringBody(std::string s) : s_(std::move(s)) {}
  size_t read(char* dst, size_t cap, bool*) override {
    size_t n = std::min(cap, s_.size() - pos_);
    std::memcpy(dst, s_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  bool rewind() override {
    if (pos_ > 0) rewinds++;
    pos_ = 0;
    return true;
  }
  bool replayable() const override { return true; }
  uint64_t rows() const override { return 1; }
  uint64_t bytes() const override { return s_.size(); }
  int rewinds = 0;

 private:
  std::string s_;
  size_t pos_ = 0;
};

struct Creds {
  std::string password = "first-Secret";
  std::string rotated = "second-Secret";
  std::atomic<int> calls{0}, after_failure{0};
  static int32_t get(void* ud, const char*, int32_t after_auth_failure, char* user, char* pw) {
    auto* self = static_cast<Creds*>(ud);
    self->calls++;
    if (after_auth_failure) {
      self->after_failure++;
      self->password = self->rotated;
    }
    std::snprintf(user, SR_SINK_CREDENTIAL_USER_MAX, "u");
    std::snprintf(pw, SR_SINK_CREDENTIAL_PASSWORD_MAX, "%s", self->password.c_str());
    return 0;
  }
};

std::string basic(const std::string& user_pass) {
  std::string out(4 * ((user_pass.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                          reinterpret_cast<const unsigned char*>(user_pass.data()),
                          (int)user_pass.size());
  out.resize(n);
  return "Basic " + out;
}

class Http : public ::testing::Test {
 protected:
  HttpClient& client(const std::vector<std::string>& urls) {
    options_.http_urls = urls;
    options_.request_timeout_ms = 10000;
    sr_sink_credentials c{};
    c.struct_size = sizeof(c);
    c.get = &Creds::get;
    c.user_data = &creds_;
    provider_ = std::make_unique<CredentialsProvider>(c);
    client_ = std::make_unique<HttpClient>(options_, provider_.get(), "db.t", &log_, &cancelled_);
    return *client_;
  }
  Options options_;
  Creds creds_;
  Logger log_;
  std::atomic<bool> cancelled_{false};
  std::unique_ptr<CredentialsProvider> provider_;
  std::unique_ptr<HttpClient> client_;
};

FakeResponse ok(const std::string& body) {
  FakeResponse r;
  r.body = body;
  return r;
}

TEST_F(Http, A307IsFollowedWithTheSameMethodHeadersCredentialsAndBody) {
  FakeHttpServer be(nullptr, [](const FakeRequest&) { return ok("{\"Status\":\"Success\"}"); });
  FakeHttpServer fe(
      [&](const FakeRequest& r, FakeResponse* out) {
        out->status = 307;
        out->headers = {{"Location", be.url() + r.target}};
        return true;  // before any body byte, like the StarRocks FE
      },
      nullptr);
  StringBody body("{\"id\":1,\"__op\":0}\n");
  HttpRequest req;
  req.method = "PUT";
  req.target = "/api/db/t/_stream_load?x=1";
  req.headers = {{"label", "l1"}};
  req.stream = &body;
  req.expect_continue = true;
  HttpResult res = client({fe.url()}).perform(req);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(res.response.status, 200);
  EXPECT_EQ(res.response.redirects, 1);
  EXPECT_EQ(res.response.url, be.url() + "/api/db/t/_stream_load?x=1");
  auto got = be.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "PUT");
  EXPECT_EQ(got[0].headers["label"], "l1");
  EXPECT_EQ(got[0].headers["authorization"], basic("u:first-Secret")) << "credentials re-sent";
  EXPECT_EQ(got[0].body, "{\"id\":1,\"__op\":0}\n");
  EXPECT_FALSE(fe.requests()[0].body_read);
  EXPECT_EQ(creds_.calls.load(), 1) << "one request, one ask";
}

TEST_F(Http, ABodyReadBeforeA307IsReplayed) {
  FakeHttpServer be(nullptr, [](const FakeRequest&) { return ok("{}"); });
  FakeHttpServer fe(nullptr, [&](const FakeRequest& r) {
    FakeResponse out;
    out.status = 307;
    out.headers = {{"Location", be.url() + r.target}};
    return out;
  });
  StringBody body(std::string(100000, 'x'));
  HttpRequest req;
  req.method = "PUT";
  req.target = "/p";
  req.stream = &body;
  req.expect_continue = true;
  HttpResult res = client({fe.url()}).perform(req);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(fe.requests()[0].body.size(), 100000u);
  EXPECT_EQ(be.requests()[0].body, std::string(100000, 'x'));
  EXPECT_GE(body.rewinds, 1);
}

TEST_F(Http, MoreThanThreeRedirectsFail) {
  std::string self_url;
  FakeHttpServer loop(
      [&](const FakeRequest& r, FakeResponse* out) {
        out->status = 307;
        out->headers = {{"Location", self_url + r.target}};
        return true;
      },
      nullptr);
  self_url = loop.url();
  HttpRequest req;
  req.target = "/x";
  HttpResult res = client({loop.url()}).perform(req);
  EXPECT_EQ(res.status.code(), SR_SINK_E_NETWORK);
  EXPECT_NE(res.status.message().find("more than 3 redirects"), std::string::npos) << res.status.message();
  EXPECT_FALSE(res.maybe_delivered);
  EXPECT_EQ(loop.requests().size(), 4u);
}

TEST_F(Http, A401AsksForCredentialsAgainOnceAndRetries) {
  FakeHttpServer fe(nullptr, [&](const FakeRequest& r) {
    FakeResponse out;
    if (r.headers.at("authorization") != basic("u:second-Secret")) {
      out.status = 401;
      out.body = "{\"status\":\"FAILED\",\"msg\":\"Access denied\"}";
      return out;
    }
    return ok("{\"status\":\"OK\"}");
  });
  HttpRequest req;
  req.method = "POST";
  req.target = "/api/transaction/begin";
  req.body = "";
  HttpResult res = client({fe.url()}).perform(req);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(res.response.status, 200);
  EXPECT_EQ(creds_.after_failure.load(), 1);
  EXPECT_EQ(fe.requests().size(), 2u);
}

TEST_F(Http, APersistent401IsAnAuthErrorWithoutTheSecret) {
  creds_.rotated = "still-Wrong";
  FakeHttpServer fe(nullptr, [](const FakeRequest&) {
    FakeResponse out;
    out.status = 401;
    return out;
  });
  HttpRequest req;
  req.target = "/x";
  HttpResult res = client({fe.url()}).perform(req);
  EXPECT_EQ(res.status.code(), SR_SINK_E_AUTH);
  EXPECT_EQ(res.status.http_status(), 401);
  EXPECT_EQ(res.status.message().find("Wrong"), std::string::npos);
  EXPECT_EQ(res.status.message().find("Secret"), std::string::npos);
  EXPECT_EQ(creds_.after_failure.load(), 1);
}

TEST_F(Http, ALostReplyMayHaveBeenDelivered) {
  FakeHttpServer be(nullptr, [](const FakeRequest&) {
    FakeResponse out;
    out.drop = true;  // the body was read, then the connection closed without an answer
    return out;
  });
  StringBody body("{\"id\":1}\n");
  HttpRequest req;
  req.method = "PUT";
  req.target = "/x";
  req.stream = &body;
  HttpResult res = client({be.url()}).perform(req);
  EXPECT_EQ(res.status.code(), SR_SINK_E_NETWORK);
  EXPECT_TRUE(res.status.retryable());
  EXPECT_TRUE(res.maybe_delivered);
}

TEST_F(Http, ARefusedConnectionWasNotDeliveredAndFailsOverToTheNextFe) {
  FakeHttpServer fe(nullptr, [](const FakeRequest&) { return ok("{}"); });
  const std::string down = "http://127.0.0.1:" + std::to_string(srtest::closed_port());
  HttpRequest req;
  req.target = "/x";
  HttpClient& c = client({down, fe.url()});
  HttpResult res = c.perform(req);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(c.current_fe(), fe.url()) << "the FE that answered is tried first next time";
  HttpClient& only_down = client({down});
  res = only_down.perform(req);
  EXPECT_EQ(res.status.code(), SR_SINK_E_NETWORK);
  EXPECT_FALSE(res.maybe_delivered);
}

TEST_F(Http, AnAbsoluteTargetIsUsedAsIsAndCanSkipCredentials) {
  FakeHttpServer be(nullptr, [](const FakeRequest&) { return ok("row 1: bad"); });
  HttpRequest req;
  req.target = be.url() + "/api/_load_error_log?file=x";
  req.authenticate = false;
  HttpResult res = client({"http://127.0.0.1:1"}).perform(req);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  EXPECT_EQ(res.response.body, "row 1: bad");
  EXPECT_EQ(be.requests()[0].headers.count("authorization"), 0u);
  EXPECT_EQ(creds_.calls.load(), 0);
}

TEST_F(Http, ACancelledClientSendsNothing) {
  FakeHttpServer fe(nullptr, [](const FakeRequest&) { return ok("{}"); });
  cancelled_ = true;
  HttpRequest req;
  req.target = "/x";
  HttpResult res = client({fe.url()}).perform(req);
  EXPECT_EQ(res.status.code(), SR_SINK_E_CANCELLED);
  EXPECT_TRUE(fe.requests().empty());
}

TEST_F(Http, WithoutExpectABodyAlreadySentIsReplayedAfterA307) {
  FakeHttpServer be(nullptr, [](const FakeRequest&) { return ok("{}"); });
  FakeHttpServer fe(
      [&](const FakeRequest& r, FakeResponse* out) {
        out->status = 307;
        out->headers = {{"Location", be.url() + r.target}};
        return true;  // answers without reading what curl already sent
      },
      nullptr);
  StringBody body("{\"id\":1,\"__op\":0}\n");
  HttpRequest req;
  req.method = "PUT";
  req.target = "/api/transaction/load";
  req.stream = &body;
  req.expect_continue = false;
  HttpResult res = client({fe.url()}).perform(req);
  ASSERT_TRUE(res.status.ok()) << res.status.message();
  ASSERT_EQ(be.requests().size(), 1u);
  EXPECT_EQ(be.requests()[0].body, "{\"id\":1,\"__op\":0}\n") << "the whole body, from its first byte";
}

TEST(UrlEscape, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(url_escape("a-b_c.d~9"), "a-b_c.d~9");
  EXPECT_EQ(url_escape("a b/c?&="), "a%20b%2Fc%3F%26%3D");
}

}  // namespace
}  // namespace srs
