// JSON bodies (spec §6.1, §3.3).
#include "test_util.h"

namespace sremu::test {
namespace {

using V = std::vector<std::string>;

TEST(JsonBody, NdjsonRowsMapKeysByNameAndConvertValues) {
  auto t = pk_table();
  auto p = load(t, {{"format", "json"}}, "{\"id\":1,\"name\":\"a\",\"score\":3.1}\n{\"score\":\"7\",\"id\":2}\n");
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.total, 2);
  EXPECT_EQ(p.filtered, 0);
  EXPECT_EQ(render(p), (V{"1|\"a\"|3.10", "2|null|7.00"}));
}

TEST(JsonBody, ArrayNeedsStripOuterArray) {
  auto t = pk_table();
  auto p = load(t, {{"format", "json"}, {"strip_outer_array", "TRUE"}},
                "[{\"id\":1,\"__op\":0},{\"id\":2,\"__op\":1},{\"id\":3,\"name\":\"c\"}]");
  EXPECT_EQ(render(p), (V{"1|null|null", "2|null|null#del", "3|\"c\"|null"}));
  auto q = load(t, {{"format", "json"}}, "[{\"id\":1}]");
  EXPECT_EQ(q.rows.size(), 0u);
  EXPECT_EQ(q.filtered, 1);
  EXPECT_EQ(q.total, 1);
}

}  // namespace
}  // namespace sremu::test
