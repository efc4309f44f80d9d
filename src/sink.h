// One sink: a write relation (INSERT INTO db.table). Holds the HTTP client, the mode driver and
// the pipeline (encoding → I/O thread), and implements the sr_sink_* calls on a sink.
// Calls are serialized by the host, except cancel() and stats(), which may run concurrently.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "arrow_csv_direct.h"
#include "arrow_encode.h"
#include "connector.h"
#include "http.h"
#include "mode_driver.h"
#include "pipeline.h"
#include "sr_sink.h"
#include "status.h"

namespace srs {

class RowCheck;
class CsvRowEncoder;

class Sink {
 public:
  // Discovers and checks the table, opens the mode driver, starts the I/O thread.
  static Result<std::unique_ptr<Sink>> open(Connector* connector, const Registration& reg,
                                            const OpenParams& params);
  ~Sink();

  Status write(const sr_sink_batch& batch);  // batch fields normalised by abi_entry
  // One Arrow record batch; the caller (abi_entry) releases schema and array afterwards.
  Status write_arrow(const ArrowSchema& schema, const ArrowArray& array, const uint8_t* ops);
  Status on_watermark(int64_t watermark);
  Result<std::string> on_checkpoint(int64_t checkpoint_id);
  Status commit(int64_t checkpoint_id);
  Status abort(int64_t checkpoint_id);
  void cancel();
  // Abandons unflushed data, closes the driver, joins the I/O thread.
  Status close();
  void stats(sr_sink_stats* out) const;  // full-size struct
  Connector* connector() const { return connector_; }

 private:
  Sink(Connector* connector, const Registration& reg, const OpenParams& params);
  // Returns the sink's failure for a call made after it failed.
  Status check_usable() const;
  // Records a failure that leaves the sink unusable and returns it with F_FATAL.
  Status fail(Status st);
  // write_arrow's direct CSV path (arrow_csv_direct_ok). Sets *exact (taking nothing) when the
  // budget has no room for the batch's upper bound right now: the caller then encodes the batch
  // aside and waits for its exact bytes only.
  Status write_arrow_direct(const ArrowNode& root, const ArrowColumns& cols, const uint8_t* ops, bool* exact);
  Status reserve_batch(uint64_t bytes, const char* call);
  Status flush();

  Connector* connector_;
  const Registration& reg_;
  std::string db_, table_, full_name_;
  std::atomic<bool> cancelled_{false};
  SinkCounters counters_;
  std::unique_ptr<HttpClient> http_;
  SinkContext ctx_;
  std::unique_ptr<ModeDriver> driver_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<RowCheck> row_check_;  // what write() asks of each row (columns, keys)
  std::vector<std::string> column_types_;  // StarRocks type of each opened column
  std::vector<std::string> key_columns_;   // the table's key columns
  std::unique_ptr<CsvRowEncoder> csv_;     // format csv: JSON rows → CSV lines
  std::string csv_line_;
  std::unique_ptr<ArrowTarget> arrow_target_;  // write_arrow's view of the columns, made once
  EncodedRows arrow_rows_;                      // write_arrow's encoding buffer, reused
  csv_direct::CsvDirectPlan csv_plan_;          // write_arrow's direct CSV columns, reused
  uint64_t csv_null_bytes_ = 0;
  Status failed_;        // set once the sink is unusable
  Status aborted_;       // set by abort(): no later commit may succeed either
  bool failure_reported_ = false;
  bool closed_ = false;
  bool has_checkpoint_ = false;
  int64_t last_checkpoint_id_ = 0;
  std::atomic<uint64_t> rows_written_{0}, rows_deleted_{0}, bytes_written_{0};
  // At the last successful watermark/checkpoint: rows written, and rows StarRocks accounted for
  // (loaded + filtered); close() tells the host how many rows since then are not loaded.
  uint64_t flushed_rows_written_ = 0, flushed_rows_accounted_ = 0;
  void mark_flushed();
};

}  // namespace srs
