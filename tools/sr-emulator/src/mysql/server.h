// The MySQL protocol query port (StarRocks FE's 9030): a listener thread and one thread per
// connection. stop() closes the listener and every connection and waits for their threads.
#pragma once
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/emulator.h"

namespace sremu {

class QueryServer {
 public:
  explicit QueryServer(Emulator& emu) : emu_(emu) {}
  ~QueryServer() { stop(); }
  QueryServer(const QueryServer&) = delete;
  QueryServer& operator=(const QueryServer&) = delete;

  std::string start(const std::string& bind, int port);  // "" or the error
  int port() const { return port_; }
  void stop();

 private:
  void accept_loop();
  void run_connection(int fd, uint32_t id, std::string peer);

  Emulator& emu_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable idle_;
  std::map<uint32_t, int> conns_;  // connection id → socket, while its thread runs
  uint32_t next_id_ = 1;
};

// Serves one accepted connection until the client quits, the socket fails or `stopping` is set.
void serve_mysql_connection(Emulator& emu, int fd, uint32_t id, const std::string& peer,
                            const std::atomic<bool>& stopping);

}  // namespace sremu
