// The on_checkpoint driver with an injectable StarRocks (tests); make_txn_driver (mode_driver.h)
// uses the HTTP one.
#pragma once
#include <functional>
#include <memory>

#include "mode_driver.h"
#include "txn_ops.h"

namespace srs {

using TxnOpsFactory = std::function<std::unique_ptr<TxnOps>(const SinkContext&)>;

// `make_ops` is called once with the driver's own copy of `ctx` (which lives as long as the
// driver, so the ops may keep a reference to it).
std::unique_ptr<ModeDriver> make_txn_driver_with_ops(const SinkContext& ctx,
                                                     const TxnOpsFactory& make_ops);

}  // namespace srs
