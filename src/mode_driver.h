// The seam between the sink (rows → encoded chunks → I/O thread, memory budget, thresholds) and
// the protocol of its execution mode:
//   on_watermark  → WatermarkDriver (stream_load.cpp): one labelled Stream Load per load request.
//   on_checkpoint → TxnDriver (txn_driver.cpp): Transaction Stream Load, 2PC, recovery.
// The sink owns the driver. send_load() runs on the sink's I/O thread, everything else on the
// host's calling thread. open(), on_watermark(), on_checkpoint() and close() never overlap a
// send_load() (the sink flushes or stops the I/O thread first); commit() and abort() do not flush,
// so they may run while a send_load() of the next epoch is in flight.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "options.h"
#include "status.h"

namespace srs {

class HttpClient;            // http.h
class Logger;                // log.h
class RejectedRowsConsumer;  // rejected_rows.h

// The body of one load request as the sink produces it: NDJSON lines ending in '\n', each object
// carrying "__op". read() blocks until bytes are available or the body is complete.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Copies up to `cap` bytes; returns 0 once the whole body has been read. Returns 0 and sets
  // *cancelled = true if the sink was cancelled while waiting (the request must then fail).
  virtual size_t read(char* dst, size_t cap, bool* cancelled) = 0;
  // Restarts from the first byte. Only possible while replayable() (the sink keeps the chunks of
  // the request until send_load returns); returns false otherwise.
  virtual bool rewind() = 0;
  virtual bool replayable() const = 0;
  // Rows and body bytes in this request (final once read() returned 0).
  virtual uint64_t rows() const = 0;
  virtual uint64_t bytes() const = 0;
};

// Counters the drivers update (relaxed atomics; copied into sr_sink_stats).
struct SinkCounters {
  std::atomic<uint64_t> rows_loaded{0}, rows_filtered{0}, bytes_sent{0}, loads{0},
      load_failures{0}, retries{0}, txns_begun{0}, txns_prepared{0}, txns_committed{0},
      txns_aborted{0}, last_load_ms{0}, server_load_ms{0}, rows_rejected{0},
      throttle_episodes{0}, throttle_wait_ms{0}, fe_failovers{0};
};

struct SinkContext {
  const Options* options = nullptr;
  // http.h. Bound to this sink's table for credentials; handles FE failover, 307 hops, 401 retry
  // and cancellation. Safe to use from any thread.
  HttpClient* http = nullptr;
  const Logger* log = nullptr;
  SinkCounters* counters = nullptr;
  const std::atomic<bool>* cancelled = nullptr;  // set by sr_sink_cancel
  std::string db, table;             // target table
  std::vector<std::string> columns;  // columns the host writes (validated against the schema)
  std::string instance_id;           // "" allowed in on_watermark mode
  // The registration's rejected-rows callback (ABI 1.1), or null.
  const RejectedRowsConsumer* rejected = nullptr;
};

class ModeDriver {
 public:
  virtual ~ModeDriver() = default;

  // Called by sr_sink_open after the schema check. on_checkpoint: recovery from `restore_token`
  // (empty = fresh start).
  virtual Status open(std::string_view restore_token) = 0;

  // I/O thread: send one load request whose body is `body`; return once StarRocks answered
  // and the outcome is settled. Whether the sink keeps the chunks for replay is
  // replayable_bodies().
  virtual Status send_load(BodySource& body) = 0;
  virtual bool replayable_bodies() const = 0;

  // Host thread, after every send_load of the epoch returned OK.
  virtual Status on_watermark(int64_t watermark) = 0;
  // Returns the commit token bytes (versioned JSON) for checkpoint `checkpoint_id`.
  virtual Result<std::string> on_checkpoint(int64_t checkpoint_id) = 0;
  virtual Status commit(int64_t checkpoint_id) = 0;
  virtual Status abort(int64_t checkpoint_id) = 0;

  // sr_sink_close: roll back what is not prepared; leave prepared transactions for recovery.
  virtual Status close() = 0;
};

std::unique_ptr<ModeDriver> make_watermark_driver(const SinkContext& ctx);  // stream_load.cpp
std::unique_ptr<ModeDriver> make_txn_driver(const SinkContext& ctx);        // txn_driver.cpp

}  // namespace srs
