// The `columns` header of plain and transaction loads (load_columns.h).
#include <gtest/gtest.h>

#include "load_columns.h"

namespace {

TEST(LoadColumnsHeader, EveryColumnIsBackquotedThenOp) {
  EXPECT_EQ(srs::load_columns_header({"id", "select", "order", "a b"}),
            "`id`,`select`,`order`,`a b`,__op");
}

TEST(LoadColumnsHeader, ABackquoteInANameIsDoubled) {
  EXPECT_EQ(srs::load_columns_header({"we`ird", "x,y"}), "`we``ird`,`x,y`,__op");
}

}  // namespace
