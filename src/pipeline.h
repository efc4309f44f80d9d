// The data path of one sink: write() encodes rows into fixed-size chunks; the chunks a batch filled
// go, when the batch ends, to the sink's I/O thread, which streams them into the open load request
// (the mode driver's send_load) while later batches are encoded. Until its end a batch can be
// taken back whole (a bad row). Memory is bounded by a Budget; chunks of a request are kept until
// the request succeeded when the driver replays bodies (on_watermark), else freed once sent.
//
// A load request starts only when its first chunk is full or at a flush, so a small batch goes as
// one request. It ends (its body is sealed) at a flush, when batch_max_bytes/batch_max_rows are
// reached, when it is older than max_request_age, when the budget is full (so memory can be freed),
// or when the writer has added nothing for Config::idle_seal_ms (the open HTTP request must keep
// moving bytes: curl's stall detection).
//
// Time-based flush (Config::flush_interval_ms, option buffer_flush_interval_ms): a timer thread
// makes sure no row waits longer than the interval. With Config::timer_seals (on_watermark) it
// ends the open load, so its rows become visible; otherwise (on_checkpoint) it hands the rows
// the writer holds to the open request, so they stream into the open transaction. While a load
// ahead of the open one is still in flight (slow, or backing off under version pressure), ending
// the open load would not make anything visible sooner: the timer waits, and the rows gathered
// meanwhile go as one larger load. A sink with nothing buffered has no deadline and sends nothing.
//
// Threading: writer methods (reserve, row_space/commit_row, end_batch, rollback_batch,
// flush) from one host thread at a time, holding writer_lock() from reserve() to end_batch() /
// rollback_batch() (the flush timer acts between batches; flush() takes the lock itself);
// cancel() from any thread; the I/O thread is internal. One request is in flight at a time, so
// rows of one key stay in order.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "budget.h"
#include "mode_driver.h"
#include "status.h"

namespace srs {

class Pipeline {
 public:

  struct Config {
    size_t chunk_bytes = 1 << 20;
    uint64_t batch_max_bytes = 90ull << 20;
    uint64_t batch_max_rows = 500000;
    int64_t max_request_age_ms = 300000;
    bool replayable = true;  // keep chunks until the request succeeded
    // An open request whose writer added nothing for this long is ended (well below
    // HttpClient::kStallSeconds, so curl never sees a stalled upload).
    int64_t idle_seal_ms = 20000;
    // buffer_flush_interval_ms; 0 = no timer.
    int64_t flush_interval_ms = 0;
    // What the timer does when rows waited flush_interval_ms: end the open load (true), or only
    // hand the rows to it (false).
    bool timer_seals = true;
  };
  using SendFn = std::function<Status(BodySource&)>;

  Pipeline(const Config& config, Budget* budget, SendFn send, const std::atomic<bool>* cancelled);
  ~Pipeline();  // stop()
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Takes `bytes` of the budget for the rows about to be appended. If they do not fit, the open
  // load is sealed first (so its memory can be freed) and the call waits until `deadline`.
  // Returns SR_SINK_E_RETRY_LATER (deadline == now), SR_SINK_E_TIMEOUT, SR_SINK_E_CANCELLED, or
  // the background error. Call it between batches (after end_batch()).
  // `on_wait` runs once before the call starts waiting (the sink logs it).
  // Held by the writer across one batch (reserve … end_batch): the flush timer touches the
  // writer's state only while it holds this lock.
  std::unique_lock<std::mutex> writer_lock() { return std::unique_lock<std::mutex>(writer_mu_); }

  Status reserve(uint64_t bytes, std::chrono::steady_clock::time_point deadline, bool no_wait,
                 const std::function<void()>& on_wait = nullptr);
  // Takes `bytes` of the budget if they fit now; false (with nothing sealed, nothing taken) if
  // they do not or the pipeline has failed. Between batches, as reserve().
  bool try_reserve(uint64_t bytes);

  // Rows are added to the current batch in two steps: row_space() gives room for a row of up to
  // `len` bytes plus what encoding adds, followed by kRowPadding more readable bytes (so the row
  // can be validated in place by the SIMD fast path); the caller writes the encoded row there and
  // calls commit_row() with its final size. Nothing of the batch is handed to the I/O thread
  // before end_batch(); rollback_batch() drops it.
  static constexpr size_t kRowPadding = 64;
  static constexpr size_t kEncodingSlack = 16;  // what encoding may add to a row
  static constexpr size_t kRowRoom = kEncodingSlack > kRowPadding ? kEncodingSlack : kRowPadding;
  // Inline: called once per row on the writer's hot path.
  char* row_space(size_t len) {
    const size_t need = len + kRowRoom;
    if (current_ && current_->cap - current_->size >= need) return current_->buf.get() + current_->size;
    return new_row_space(need);
  }
  void commit_row(size_t encoded_len) {
    Chunk* c = current_.get();
    c->size += encoded_len;
    c->rows++;
    batch_bytes_ += encoded_len;
    load_bytes_ += encoded_len;
    load_rows_++;
    if (load_bytes_ >= config_.batch_max_bytes || load_rows_ >= config_.batch_max_rows) {
      cut(true);
    } else if (c->size >= config_.chunk_bytes) {
      cut(false);
    }
  }
  // Ends the batch: hands off full chunks (starting a load, cutting loads at the thresholds) and
  // returns what reserve() took beyond what the batch used.
  void end_batch();
  // Drops every row added since the last end_batch() (a later row of the batch was invalid) and
  // ends the batch, giving its reservation back.
  void rollback_batch();
  // Sends everything buffered and waits until every load finished. Returns the first background
  // error, or SR_SINK_E_CANCELLED.
  Status flush();
  // The first background error (OK if none). Sticky.
  Status error() const;
  bool has_unsent_data() const;
  // Wakes every wait (budget, flush, body reads) so it sees the cancel flag.
  void cancel();
  // Abandons whatever is not loaded yet: the in-flight request is aborted, the rest dropped; joins
  // the I/O thread. Idempotent.
  void stop();

  uint64_t held_bytes() const { return held_.load(std::memory_order_relaxed); }

 private:
  // A buffer of encoded rows. `cap` includes room for kRowPadding after the last row.
  struct Chunk {
    std::unique_ptr<char[]> buf;
    size_t size = 0, cap = 0;
    uint64_t rows = 0;
    const char* data() const { return buf.get(); }
  };
  // A chunk filled by the current batch, to be handed off at end_batch().
  struct Pending {
    std::unique_ptr<Chunk> chunk;
    bool seal;  // the load ends with this chunk (a threshold was reached)
  };
  struct Request {
    std::deque<std::unique_ptr<Chunk>> chunks;  // a chunk is immutable once handed off
    bool sealed = false;
    uint64_t rows = 0, bytes = 0;  // of the chunks handed off
    uint64_t freed = 0;            // bytes already given back to the budget (non-replayable)
    std::chrono::steady_clock::time_point started;
  };
  class Body;

  void io_loop();
  // The flush timer (Config::flush_interval_ms > 0).
  void timer_loop();
  // Writer state (writer_mu_ held): notes when rows started waiting, or that none wait.
  void note_unsent();
  // Whether a load other than the open one is queued or in flight.
  bool load_ahead() const;
  // Moves `chunk` (may be null) into the open request (creating and queueing one if needed);
  // `seal` ends the request.
  void handoff(std::unique_ptr<Chunk> chunk, bool seal);
  void free_bytes(uint64_t bytes);
  // Keeps an emptied chunk for reuse (mu_ held).
  void recycle(std::unique_ptr<Chunk> chunk);
  static constexpr size_t kSpareChunks = 2;
  bool stop_requested() const;

  const Config config_;
  Budget* budget_;
  SendFn send_;
  const std::atomic<bool>* cancelled_;

  // Moves the current chunk to pending_ (seal: the load ends with it).
  void cut(bool seal);
  // row_space() when the current chunk has no room for `need` bytes.
  char* new_row_space(size_t need);
  // Hands the current chunk off and ends the open load (flush, full budget).
  void seal_open_load();
  // A chunk with room for `need` bytes (a spare one if it is large enough).
  std::unique_ptr<Chunk> take_chunk(size_t need);

  // Writer-only state (host thread).
  std::unique_ptr<Chunk> current_;
  std::vector<Pending> pending_;             // chunks the current batch filled
  uint64_t load_bytes_ = 0, load_rows_ = 0;  // of the open load, current chunk included
  uint64_t reserved_ = 0;                    // budget taken by reserve() and not yet used
  uint64_t batch_bytes_ = 0;                 // encoded bytes of the current batch
  // Rollback point: the state at the last end_batch().
  bool mark_had_current_ = false;
  size_t mark_size_ = 0;
  uint64_t mark_rows_ = 0, mark_load_bytes_ = 0, mark_load_rows_ = 0;

  // The writer's state below is guarded by writer_mu_ when the flush timer runs (lock order:
  // writer_mu_ before mu_).
  mutable std::mutex writer_mu_;
  std::condition_variable timer_cv_;  // with writer_mu_
  bool timer_stop_ = false;           // writer_mu_
  // When the oldest row not yet handed to the I/O thread as the timer requires (sealed for
  // timer_seals, handed off otherwise) was added; unset when none waits. writer_mu_.
  std::chrono::steady_clock::time_point unsent_since_{};
  bool has_unsent_ = false;
  std::thread timer_;

  mutable std::mutex mu_;
  std::condition_variable io_cv_;    // the I/O thread and body reads wait here
  std::condition_variable done_cv_;  // flush waits here
  std::deque<std::shared_ptr<Request>> queue_;  // front = in flight
  std::shared_ptr<Request> open_;               // the request chunks are added to
  std::vector<std::unique_ptr<Chunk>> spare_;   // emptied chunks for reuse (not in the budget)
  Status error_;
  bool stopping_ = false;
  bool busy_ = false;  // the I/O thread is inside send_
  std::atomic<uint64_t> held_{0};
  std::thread io_;
};

}  // namespace srs
