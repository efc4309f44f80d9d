// be_address_map (issue #19): the FE redirects to a BE address the client cannot reach (the
// emulator advertises its BEs under a name that does not resolve, as a Kubernetes service name
// looks from outside the cluster). With the map, loads and error-log reads go to the real
// address; without it, the error names the unreachable address and the option.
#include "integration_common.h"

namespace srtest {
namespace {

// RFC 2606: never resolves.
const char* kBeName = "starrocks-be-0.starrocks-be-svc.invalid";

class BeAddressMap : public SinkTest {
 protected:
  std::vector<std::string> emulator_args() const override { return {"--advertise-be-host", kBeName}; }
  std::string be_port() const { return std::to_string(emu().be_ports()[0]); }
  int32_t load(sr_sink* s, const std::vector<std::string>& rows, sr_sink_error* err) {
    int32_t rc = write_rows(s, rows, {}, err);
    if (rc != SR_SINK_OK) return rc;
    return sr_sink_on_watermark(s, 1, err);
  }
};

TEST_F(BeAddressMap, WithoutTheMapTheErrorNamesTheAddressAndTheOption) {
  sr_sink* s = open_orders(",\"max_retries\":0");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  EXPECT_EQ(load(s, {order(1, "a", "1.00")}, &err), SR_SINK_E_NETWORK) << err.message;
  const std::string m = err.message;
  EXPECT_NE(m.find(std::string(kBeName) + ":" + be_port()), std::string::npos) << m;
  EXPECT_NE(m.find("be_address_map"), std::string::npos) << m;
  EXPECT_EQ(rows().size(), 0u);
}

TEST_F(BeAddressMap, AHostPortEntryRoutesLoadsToTheRealAddress) {
  sr_sink* s = open_orders(",\"be_address_map\":{\"" + std::string(kBeName) + ":" + be_port() +
                           "\":\"127.0.0.1:" + be_port() + "\"}");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  ASSERT_EQ(load(s, {order(1, "a", "1.00"), order(2, "b", "2.00")}, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 2u);
}

TEST_F(BeAddressMap, AHostOnlyEntryAlsoMapsTheErrorUrl) {
  sr_sink* s = open_orders(",\"be_address_map\":{\"" + std::string(kBeName) + "\":\"127.0.0.1\"}");
  ASSERT_NE(s, nullptr);
  sr_sink_error err = new_error();
  // id is BIGINT NOT NULL: the second row is rejected; the message quotes its error log, which
  // the BE serves under the advertised name.
  EXPECT_EQ(load(s, {order(1, "a", "1.00"), R"({"id":"abc","name":"bad"})"}, &err), SR_SINK_E_DATA);
  const std::string m = err.message;
  EXPECT_NE(m.find("first rejected rows: NULL value in non-nullable column 'id'"), std::string::npos) << m;
  EXPECT_EQ(m.find("could not be read"), std::string::npos) << m;
}

TEST_F(BeAddressMap, TransactionsFollowTheMapToo) {
  sr_sink_error err = new_error();
  ASSERT_EQ(h.add("*",
                  "{\"http_url\":\"" + emu().fe_url() +
                      "\",\"execution_mode\":\"on_checkpoint\",\"be_address_map\":{\"" + kBeName +
                      "\":\"127.0.0.1\"}}",
                  &err),
            SR_SINK_OK)
      << err.message;
  sr_sink* s = nullptr;
  ASSERT_EQ(h.open("shop.orders", {"id", "name", "amount"}, &s, &err, "map"), SR_SINK_OK) << err.message;
  open_.push_back(s);
  ASSERT_EQ(write_rows(s, {order(1, "a", "1.00")}, {}, &err), SR_SINK_OK);
  sr_sink_token t{};
  t.struct_size = sizeof t;
  ASSERT_EQ(sr_sink_on_checkpoint(s, 1, &t, &err), SR_SINK_OK) << err.message;
  t.release(&t);
  ASSERT_EQ(sr_sink_commit(s, 1, &err), SR_SINK_OK) << err.message;
  EXPECT_EQ(rows().size(), 1u);
}

TEST_F(BeAddressMap, EntriesAreValidated) {
  sr_sink_error err = new_error();
  EXPECT_EQ(h.add("*", options(",\"be_address_map\":{\"be:8040\":1}"), &err), SR_SINK_E_CONFIG);
  EXPECT_EQ(h.add("*", options(",\"be_address_map\":{\"be\":\"10.0.0.1:8040\"}"), &err), SR_SINK_E_CONFIG);
  EXPECT_NE(std::string(err.message).find("must map to a host without a port"), std::string::npos) << err.message;
  EXPECT_EQ(h.add("*", options(",\"be_address_map\":{\"http://be:8040\":\"x\"}"), &err), SR_SINK_E_CONFIG);
  EXPECT_EQ(h.add("*", options(",\"be_address_map\":[]"), &err), SR_SINK_E_CONFIG);
  EXPECT_EQ(h.add("*", options(",\"be_address_map\":{\"be:8040\":\"127.0.0.1:18040\",\"be\":\"127.0.0.2\"}"), &err),
            SR_SINK_OK) << err.message;
}

}  // namespace
}  // namespace srtest
