// sr_sink_open: table discovery over HTTP (spec §5.5) and the checks that fail at open.
#include "integration_common.h"

namespace srtest {
namespace {

class Open : public SinkTest {
 protected:
  // Opens `table` with `columns`; returns the status and fills err.
  int32_t try_open(const std::string& table, const std::vector<std::string>& columns,
                   sr_sink_error* err) {
    if (!registered_) {
      EXPECT_EQ(h.add("*", options()), SR_SINK_OK);
      registered_ = true;
    }
    sr_sink* s = nullptr;
    int32_t rc = h.open(table, columns, &s, err);
    if (s) open_.push_back(s);
    return rc;
  }
  bool registered_ = false;
};

TEST_F(Open, APrimaryKeyTableOpens) {
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.orders", {"id", "name", "amount"}, &err), SR_SINK_OK) << err.message;
  EXPECT_TRUE(h.log.contains("opened on_watermark sink for shop.orders")) << h.log.all();
}

TEST_F(Open, KeyColumnsAloneAreEnough) {
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.orders", {"id"}, &err), SR_SINK_OK) << err.message;
}

TEST_F(Open, AMissingTableIsASchemaErrorNamingIt) {
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.nope", {"id"}, &err), SR_SINK_E_SCHEMA);
  EXPECT_NE(std::string(err.message).find("shop.nope"), std::string::npos) << err.message;
  EXPECT_NE(std::string(err.message).find("does not exist"), std::string::npos) << err.message;
}

TEST_F(Open, AMissingDatabaseIsASchemaErrorNamingIt) {
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("nodb.orders", {"id"}, &err), SR_SINK_E_SCHEMA);
  EXPECT_NE(std::string(err.message).find("nodb.orders"), std::string::npos) << err.message;
}

TEST_F(Open, ATableThatIsNotPrimaryKeyIsRefused) {
  ASSERT_TRUE(emu().create_table("shop", "events",
                                 R"([{"name":"id","type":"BIGINT","key":true},{"name":"v","type":"INT"}])",
                                 "DUP_KEYS"));
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.events", {"id", "v"}, &err), SR_SINK_E_SCHEMA);
  std::string m = err.message;
  EXPECT_NE(m.find("shop.events"), std::string::npos) << m;
  EXPECT_NE(m.find("not a Primary Key table"), std::string::npos) << m;
  EXPECT_NE(m.find("DUP_KEYS"), std::string::npos) << m;
}

TEST_F(Open, AKeyColumnThatIsNotWrittenIsRefused) {
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.orders", {"name", "amount"}, &err), SR_SINK_E_SCHEMA);
  std::string m = err.message;
  EXPECT_NE(m.find("key column `id`"), std::string::npos) << m;
  EXPECT_NE(m.find("shop.orders"), std::string::npos) << m;
}

TEST_F(Open, AWrittenColumnThatDoesNotExistIsRefused) {
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.orders", {"id", "price"}, &err), SR_SINK_E_SCHEMA);
  EXPECT_NE(std::string(err.message).find("column `price` is not in shop.orders"), std::string::npos)
      << err.message;
}

TEST_F(Open, WithoutTheV2EndpointTheSqlApiIsUsed) {
  ASSERT_GE(emu().add_fault(R"({"point":"schema_v2","action":"http_status","code":404,"body":"Not Found","times":-1})"), 0);
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.orders", {"id", "name"}, &err), SR_SINK_OK) << err.message;
  EXPECT_TRUE(h.log.contains("via HTTP SQL API")) << h.log.all();
  EXPECT_EQ(try_open("shop.orders", {"id", "price"}, &err), SR_SINK_E_SCHEMA);
  EXPECT_EQ(try_open("shop.nope", {"id"}, &err), SR_SINK_E_SCHEMA);
  EXPECT_NE(std::string(err.message).find("shop.nope does not exist"), std::string::npos) << err.message;
}

TEST_F(Open, WithOnlyTheLegacySchemaEndpointTheTableTypeIsUnknown) {
  ASSERT_GE(emu().add_fault(R"({"point":"schema_v2","action":"http_status","code":404,"body":"Not Found","times":-1})"), 0);
  ASSERT_GE(emu().add_fault(R"({"point":"schema_sql","action":"http_status","code":404,"body":"Not Found","times":-1})"), 0);
  sr_sink_error err = new_error();
  EXPECT_EQ(try_open("shop.orders", {"id"}, &err), SR_SINK_E_SCHEMA);
  std::string m = err.message;
  EXPECT_NE(m.find("cannot determine the table type of shop.orders"), std::string::npos) << m;
}

}  // namespace
}  // namespace srtest
