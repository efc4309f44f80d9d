// TLS end to end (issue #19) against the emulator serving HTTPS on its FE and BE ports, with a
// throw-away CA and certificates made by the openssl command at test time: verification on, a
// wrong CA refused, mutual TLS with and without a client certificate, and the https → http
// downgrade of TLS that stops at the FE refused.
#include <cstdlib>

#include "integration_common.h"

namespace srtest {
namespace {

// ca.pem/ca.key, server.pem/server.key (127.0.0.1, localhost), client.pem/client.key (signed by
// ca), other.pem (an unrelated CA). EC keys: fast to make.
std::string make_certificates() {
  const std::string d = make_temp_dir("srtls");
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  const std::string q = " >/dev/null 2>&1";
  const std::string cmd =
      "cd " + d + " && " +
      "openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 2 -subj '/CN=sr-sink test CA'" + q +
      " && openssl req -x509" + ec + "-keyout other.key -out other.pem -days 2 -subj '/CN=other CA'" + q +
      " && openssl req" + ec + "-keyout server.key -out server.csr -subj '/CN=127.0.0.1'" + q +
      " && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext" +
      " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem"
      " -days 2 -extfile san.ext" + q +
      " && openssl req" + ec + "-keyout client.key -out client.csr -subj '/CN=sr-sink client'" + q +
      " && openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem"
      " -days 2" + q;
  if (d.empty() || std::system(cmd.c_str()) != 0) return "";
  return d;
}

const std::string& certs() {
  static const std::string dir = make_certificates();
  return dir;
}

class Tls : public SinkTest {
 protected:
  std::vector<std::string> emulator_args() const override {
    return {"--tls-cert", certs() + "/server.pem", "--tls-key", certs() + "/server.key"};
  }
  void SetUp() override {
    ASSERT_FALSE(certs().empty()) << "openssl could not make the test certificates";
    SinkTest::SetUp();
  }
  // Registers "*" over https with `extra` options; returns open's status.
  int32_t open_tls(const std::string& extra, sr_sink** s, sr_sink_error* err) {
    int32_t rc = h.add("*",
                       "{\"http_url\":\"" + emu().fe_url() +
                           "\",\"execution_mode\":\"on_watermark\",\"max_retries\":0,"
                           "\"retry_backoff_ms\":10" + extra + "}",
                       err);
    if (rc != SR_SINK_OK) return rc;
    rc = h.open("shop.orders", {"id", "name", "amount"}, s, err);
    if (*s) open_.push_back(*s);
    return rc;
  }
  int32_t load(sr_sink* s, sr_sink_error* err) {
    int32_t rc = write_rows(s, {order(1, "a", "1.00"), order(2, "b", "2.00")}, {}, err);
    return rc != SR_SINK_OK ? rc : sr_sink_on_watermark(s, 1, err);
  }
  std::string ca(const char* name = "ca.pem") const { return ",\"tls_ca_file\":\"" + certs() + "/" + name + "\""; }
};

TEST_F(Tls, HttpsEndToEndWithVerification) {
  ASSERT_EQ(emu().fe_url().rfind("https://", 0), 0u);
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  ASSERT_EQ(open_tls(ca(), &s, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(load(s, &err), SR_SINK_OK) << err.message << "\n" << h.log.all();
  EXPECT_EQ(rows().size(), 2u);
}

TEST_F(Tls, TheRejectedRowsErrorLogIsReadOverHttpsToo) {
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  ASSERT_EQ(open_tls(ca(), &s, &err), SR_SINK_OK) << err.message;
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00"), R"({"id":"abc","name":"bad"})"}, {}, &err), SR_SINK_OK);
  EXPECT_EQ(sr_sink_on_watermark(s, 1, &err), SR_SINK_E_DATA);
  EXPECT_NE(std::string(err.message).find("first rejected rows: NULL value in non-nullable column 'id'"),
            std::string::npos) << err.message;
}

TEST_F(Tls, AWrongCaIsRefused) {
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  EXPECT_EQ(open_tls(ca("other.pem"), &s, &err), SR_SINK_E_NETWORK) << err.message;
  EXPECT_NE(std::string(err.message).find("certificate"), std::string::npos) << err.message;
  EXPECT_EQ(emu().stat({"requests"}), 0) << "nothing reached the emulator";
}

class MutualTls : public Tls {
 protected:
  std::vector<std::string> emulator_args() const override {
    auto args = Tls::emulator_args();
    args.insert(args.end(), {"--tls-client-ca", certs() + "/ca.pem"});
    return args;
  }
};

TEST_F(MutualTls, WithAClientCertificateLoadsSucceed) {
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  ASSERT_EQ(open_tls(ca() + ",\"tls_cert_file\":\"" + certs() + "/client.pem\",\"tls_key_file\":\"" +
                         certs() + "/client.key\"",
                     &s, &err),
            SR_SINK_OK)
      << err.message;
  ASSERT_EQ(load(s, &err), SR_SINK_OK) << err.message << "\n" << h.log.all();
  EXPECT_EQ(rows().size(), 2u);
}

TEST_F(MutualTls, WithoutAClientCertificateTheServerRefuses) {
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  EXPECT_NE(open_tls(ca(), &s, &err), SR_SINK_OK);
  EXPECT_NE(std::string(err.message).find("client certificate is required"), std::string::npos)
      << err.message;
}

TEST_F(MutualTls, TheKeyWithoutTheCertificateIsAConfigError) {
  sr_sink_error err = new_error();
  EXPECT_EQ(h.add("*", options(",\"tls_key_file\":\"" + certs() + "/client.key\""), &err), SR_SINK_E_CONFIG);
  EXPECT_NE(std::string(err.message).find("tls_cert_file"), std::string::npos) << err.message;
}

// TLS that stops at the FE: its redirect names an http:// BE.
class TlsAtTheFeOnly : public Tls {
 protected:
  std::vector<std::string> emulator_args() const override {
    auto args = Tls::emulator_args();
    args.push_back("--tls-fe-only");
    return args;
  }
};

TEST_F(TlsAtTheFeOnly, TheHttpsToHttpDowngradeIsRefused) {
  sr_sink* s = nullptr;
  sr_sink_error err = new_error();
  ASSERT_EQ(open_tls(ca(), &s, &err), SR_SINK_OK) << err.message;
  EXPECT_NE(load(s, &err), SR_SINK_OK);
  EXPECT_NE(std::string(err.message).find("https to http downgrade"), std::string::npos) << err.message;
  EXPECT_EQ(rows().size(), 0u);
  EXPECT_EQ(emu().stat({"tables", "shop.orders", "loads"}), 0) << "no byte went over plain http";
}

}  // namespace
}  // namespace srtest
