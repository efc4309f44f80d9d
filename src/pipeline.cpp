#include "pipeline.h"

#include <cstring>


namespace srs {

using Clock = std::chrono::steady_clock;

// The body of one queued request as the I/O thread streams it.
class Pipeline::Body final : public BodySource {
 public:
  Body(Pipeline* p, std::shared_ptr<Request> req) : p_(p), req_(std::move(req)) {}

  size_t read(char* dst, size_t cap, bool* cancelled) override {
    Chunk* chunk = nullptr;
    {
      std::unique_lock<std::mutex> lock(p_->mu_);
      auto idle_deadline = Clock::now() + std::chrono::milliseconds(p_->config_.idle_seal_ms);
      for (;;) {
        if (p_->stop_requested()) {
          *cancelled = true;
          return 0;
        }
        if (index_ < req_->chunks.size()) {
          chunk = req_->chunks[index_].get();
          break;
        }
        if (req_->sealed) {
          complete_ = true;
          return 0;
        }
        if (p_->io_cv_.wait_until(lock, idle_deadline) == std::cv_status::timeout &&
            index_ >= req_->chunks.size() && !req_->sealed) {
          // The writer went quiet: end this load so the HTTP request does not stall; the next
          // chunk starts a new load.
          req_->sealed = true;
          if (p_->open_ == req_) p_->open_.reset();
          complete_ = true;
          return 0;
        }
      }
    }
    // Chunks are immutable once handed off and owned by the request, so copy outside the lock.
    size_t n = std::min(cap, chunk->size - offset_);
    std::memcpy(dst, chunk->data() + offset_, n);
    offset_ += n;
    read_any_ = true;
    if (offset_ == chunk->size) {
      offset_ = 0;
      ++index_;
      if (!p_->config_.replayable) {
        std::lock_guard<std::mutex> lock(p_->mu_);
        uint64_t size = chunk->size;
        p_->recycle(std::move(req_->chunks[index_ - 1]));
        req_->freed += size;
        p_->free_bytes(size);
      }
    }
    return n;
  }

  bool rewind() override {
    if (!read_any_) return true;
    if (!p_->config_.replayable) return false;
    index_ = 0;
    offset_ = 0;
    return true;
  }
  bool replayable() const override { return p_->config_.replayable || !read_any_; }
  // Whether some attempt read the body to its end.
  bool complete() const { return complete_; }
  uint64_t rows() const override {
    std::lock_guard<std::mutex> lock(p_->mu_);
    return req_->rows;
  }
  uint64_t bytes() const override {
    std::lock_guard<std::mutex> lock(p_->mu_);
    return req_->bytes;
  }

 private:
  Pipeline* p_;
  std::shared_ptr<Request> req_;
  size_t index_ = 0, offset_ = 0;
  bool read_any_ = false;
  bool complete_ = false;
};

Pipeline::Pipeline(const Config& config, Budget* budget, SendFn send,
                   const std::atomic<bool>* cancelled)
    : config_(config), budget_(budget), send_(std::move(send)), cancelled_(cancelled) {
  io_ = std::thread([this] { io_loop(); });
  if (config_.flush_interval_ms > 0) timer_ = std::thread([this] { timer_loop(); });
}

Pipeline::~Pipeline() { stop(); }

bool Pipeline::stop_requested() const { return stopping_ || (cancelled_ && cancelled_->load()); }

void Pipeline::free_bytes(uint64_t bytes) {
  held_.fetch_sub(bytes, std::memory_order_relaxed);
  budget_->release(bytes);
}

bool Pipeline::try_reserve(uint64_t bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.ok()) return false;
  }
  if (!budget_->try_acquire(bytes)) return false;
  reserved_ += bytes;
  return true;
}

Status Pipeline::reserve(uint64_t bytes, Clock::time_point deadline, bool no_wait,
                         const std::function<void()>& on_wait) {
  if (try_reserve(bytes)) return Status::OK();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.ok()) return error_;
  }
  // Full: send what this sink holds so its memory comes back, then wait. (Unconditionally: open_
  // is the I/O thread's too, and sealing nothing is harmless.)
  seal_open_load();
  if (no_wait) {
    return Status::Error(SR_SINK_E_RETRY_LATER,
                         "memory budget of " + std::to_string(budget_->capacity()) +
                             " bytes is full (memory_budget_bytes) and write_timeout_ms is 0",
                         SR_SINK_ERROR_F_RETRYABLE);
  }
  if (on_wait) on_wait();
  Status st = budget_->acquire(bytes, deadline, cancelled_);
  if (!st.ok()) return st;
  reserved_ += bytes;
  return Status::OK();
}

std::unique_ptr<Pipeline::Chunk> Pipeline::take_chunk(size_t need) {
  std::unique_ptr<Chunk> chunk;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!spare_.empty() && spare_.back()->cap >= need) {
      chunk = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  if (!chunk) {
    chunk = std::make_unique<Chunk>();
    // Not zero-filled: the padding after a row is read but never decides anything.
    chunk->cap = std::max(need, config_.chunk_bytes + kRowPadding);
    chunk->buf.reset(new char[chunk->cap]);
  }
  return chunk;
}

char* Pipeline::new_row_space(size_t need) {
  if (current_) {
    if (current_->size > 0) {
      cut(false);
    } else {
      current_.reset();  // an empty chunk too small for this row
    }
  }
  current_ = take_chunk(need);
  return current_->buf.get();
}

void Pipeline::cut(bool seal) {
  pending_.push_back(Pending{std::move(current_), seal});
  if (seal) load_bytes_ = load_rows_ = 0;
}

void Pipeline::end_batch() {
  // The budget then counts exactly what the batch holds: the unused part of the reservation goes
  // back; a batch that used more than it reserved (the reservation is meant as an upper bound)
  // has its surplus counted all the same — the bytes are in memory, and a budget that did not
  // count them would give them out again and, once they are freed, under-count everyone else's.
  const uint64_t added = batch_bytes_;
  if (added > reserved_) {
    budget_->take(added - reserved_);
  } else if (reserved_ > added) {
    budget_->release(reserved_ - added);
  }
  held_.fetch_add(added, std::memory_order_relaxed);
  batch_bytes_ = 0;
  reserved_ = 0;
  for (Pending& p : pending_) handoff(std::move(p.chunk), p.seal);
  pending_.clear();
  mark_had_current_ = current_ != nullptr;
  mark_size_ = current_ ? current_->size : 0;
  mark_rows_ = current_ ? current_->rows : 0;
  mark_load_bytes_ = load_bytes_;
  mark_load_rows_ = load_rows_;
  note_unsent();
}

void Pipeline::note_unsent() {
  if (config_.flush_interval_ms <= 0) return;
  const bool in_current = current_ && current_->rows > 0;
  // With timer_seals, rows already handed to the open (unsealed) load wait as well.
  const bool waiting = in_current || (config_.timer_seals && load_rows_ > 0);
  if (!waiting) {
    has_unsent_ = false;
  } else if (!has_unsent_) {
    has_unsent_ = true;
    unsent_since_ = Clock::now();
    timer_cv_.notify_one();
  }
}

bool Pipeline::load_ahead() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& r : queue_) {
    if (r != open_) return true;
  }
  return false;
}

void Pipeline::timer_loop() {
  const auto interval = std::chrono::milliseconds(config_.flush_interval_ms);
  // How often a deferred flush looks again whether the load ahead finished.
  const auto recheck = std::min<Clock::duration>(interval, std::chrono::milliseconds(20));
  std::unique_lock<std::mutex> lock(writer_mu_);
  while (!timer_stop_) {
    if (!has_unsent_) {
      timer_cv_.wait(lock);
      continue;
    }
    const Clock::time_point due = unsent_since_ + interval;
    if (Clock::now() < due) {
      timer_cv_.wait_until(lock, due);
      continue;
    }
    if (config_.timer_seals) {
      // A load ahead is still running: ending the open one now would only queue a small load
      // behind it; let the rows coalesce until it is done.
      if (load_ahead()) {
        timer_cv_.wait_for(lock, recheck);
        continue;
      }
      seal_open_load();
    } else {
      // Into the open request (started if needed), which stays open for later rows.
      handoff(std::move(current_), false);
      mark_had_current_ = false;
      mark_size_ = mark_rows_ = 0;
    }
    has_unsent_ = false;
  }
}

void Pipeline::rollback_batch() {
  // The chunk that was current at the last end_batch() is either still current or the first
  // pending one; everything after it is the batch's own.
  std::unique_ptr<Chunk> keep;
  if (mark_had_current_) {
    keep = pending_.empty() ? std::move(current_) : std::move(pending_.front().chunk);
    if (keep) {
      keep->size = mark_size_;
      keep->rows = mark_rows_;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Pending& p : pending_) recycle(std::move(p.chunk));
    recycle(std::move(current_));
  }
  pending_.clear();
  current_ = std::move(keep);
  batch_bytes_ = 0;
  load_bytes_ = mark_load_bytes_;
  load_rows_ = mark_load_rows_;
  end_batch();  // gives the reservation back
}

void Pipeline::handoff(std::unique_ptr<Chunk> chunk, bool seal) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_.ok() || stopping_) {
    // The sink failed: nothing more will be sent.
    if (chunk) free_bytes(chunk->size);
    open_.reset();
    load_bytes_ = load_rows_ = 0;
    return;
  }
  if (chunk && chunk->size > 0) {
    if (!open_ || open_->sealed) {
      // A load the I/O thread ended early (idle, max age) still counts in the writer's
      // load_bytes_/load_rows_ until the next cut: the next load is cut early, never late.
      open_ = std::make_shared<Request>();
      open_->started = Clock::now();
      queue_.push_back(open_);
    }
    open_->rows += chunk->rows;
    open_->bytes += chunk->size;
    open_->chunks.push_back(std::move(chunk));
    if (Clock::now() - open_->started > std::chrono::milliseconds(config_.max_request_age_ms)) {
      seal = true;
    }
  }
  if (seal) {
    if (open_) open_->sealed = true;
    open_.reset();
  }
  io_cv_.notify_all();
}

void Pipeline::seal_open_load() {
  handoff(std::move(current_), true);
  has_unsent_ = false;
  load_bytes_ = load_rows_ = 0;
  mark_had_current_ = false;
  mark_size_ = mark_rows_ = mark_load_bytes_ = mark_load_rows_ = 0;
}

Status Pipeline::flush() {
  {
    std::lock_guard<std::mutex> writer(writer_mu_);
    seal_open_load();
  }
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return queue_.empty() || !error_.ok() || stop_requested(); });
  if (!error_.ok()) return error_;
  if (cancelled_ && cancelled_->load()) return Status::Error(SR_SINK_E_CANCELLED, "cancelled");
  return Status::OK();
}

Status Pipeline::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

bool Pipeline::has_unsent_data() const {
  std::lock_guard<std::mutex> writer(writer_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  return current_ || !queue_.empty();
}

void Pipeline::cancel() {
  { std::lock_guard<std::mutex> lock(mu_); }  // orders the flag store before the waiters' check
  io_cv_.notify_all();
  done_cv_.notify_all();
  budget_->wake();
}

void Pipeline::stop() {
  {
    std::lock_guard<std::mutex> writer(writer_mu_);
    timer_stop_ = true;
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  io_cv_.notify_all();
  done_cv_.notify_all();
  if (io_.joinable()) io_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& req : queue_) free_bytes(req->bytes - req->freed);
  queue_.clear();
  open_.reset();
  pending_.clear();  // only mid-batch, and not yet counted in held_
  if (current_) {
    free_bytes(current_->size);
    current_.reset();
  }
  if (reserved_) budget_->release(reserved_);
  reserved_ = 0;
}

void Pipeline::recycle(std::unique_ptr<Chunk> chunk) {
  // A few emptied chunks are kept: allocating and first-touching 1 MiB per chunk costs more
  // than encoding into it.
  if (!chunk || spare_.size() >= kSpareChunks) return;
  chunk->size = 0;
  chunk->rows = 0;
  spare_.push_back(std::move(chunk));
}

void Pipeline::io_loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    io_cv_.wait(lock, [&] { return stopping_ || (!queue_.empty() && error_.ok()); });
    if (stopping_) return;
    std::shared_ptr<Request> req = queue_.front();
    busy_ = true;
    lock.unlock();
    Body body(this, req);
    Status st = send_(body);
    if (st.ok() && !body.complete()) {
      // A server must not answer success before the body ended; rows written meanwhile would
      // belong to a request that is gone. Never drop them silently.
      st = Status::Error(SR_SINK_E_INTERNAL,
                         "the server reported a load successful before its body was complete");
    }
    lock.lock();
    busy_ = false;
    if (stopping_) return;  // stop() frees what is queued
    queue_.pop_front();
    free_bytes(req->bytes - req->freed);
    req->freed = req->bytes;
    for (auto& chunk : req->chunks) recycle(std::move(chunk));
    if (!st.ok()) {
      if (error_.ok()) error_ = st;
      // The sink is failed: the rest will never be sent.
      for (auto& r : queue_) free_bytes(r->bytes - r->freed);
      queue_.clear();
      open_.reset();
    }
    done_cv_.notify_all();
  }
}

}  // namespace srs
