// on_checkpoint mode (Transaction Stream Load, two-phase commit). Placeholder until the
// exactly-once implementation lands: every operation reports SR_SINK_E_NOT_SUPPORTED.
#include "mode_driver.h"

namespace srs {
namespace {

Status not_supported() {
  return Status::Error(SR_SINK_E_NOT_SUPPORTED,
                       "execution_mode on_checkpoint is not implemented yet; use on_watermark");
}

class PlaceholderTxnDriver final : public ModeDriver {
 public:
  Status open(std::string_view) override { return not_supported(); }
  Status send_load(BodySource&) override { return not_supported(); }
  bool replayable_bodies() const override { return false; }
  Status on_watermark(int64_t) override { return Status::OK(); }
  Result<std::string> on_checkpoint(int64_t) override { return not_supported(); }
  Status commit(int64_t) override { return not_supported(); }
  Status abort(int64_t) override { return not_supported(); }
  Status close() override { return Status::OK(); }
};

}  // namespace

std::unique_ptr<ModeDriver> make_txn_driver(const SinkContext&) {
  return std::make_unique<PlaceholderTxnDriver>();
}

}  // namespace srs
