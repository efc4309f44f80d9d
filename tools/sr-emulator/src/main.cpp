// sr-emulator entry point: parse the command line, restore the journal, start the FE, optional
// leader FE and BE daemons, print the ready line, serve until SIGTERM/SIGINT.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/emulator.h"
#include "be/load_common.h"
#include "http/routes.h"
#include "http/server.h"
#include "mysql/server.h"

using namespace sremu;

namespace {

// A bound but never listening socket: connecting to its port is refused at once, which is what a
// crashed coordinator BE looks like (fault `be_unreachable`).
int reserve_dead_port(const std::string& bind, int* fd_out) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, bind.c_str(), &addr.sin_addr);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *fd_out = fd;
  return ntohs(addr.sin_port);
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  std::string err = parse_args(argc, argv, &cfg);
  if (!err.empty()) {
    std::fprintf(stderr, "sr-emulator: %s\n(sr-emulator --help lists the options)\n", err.c_str());
    return 2;
  }
  if (cfg.help) {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  if (cfg.version) {
    std::fputs(version_line().c_str(), stdout);
    return 0;
  }
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  set_legacy_responses(cfg.legacy_responses);
  auto emu = std::make_unique<Emulator>(cfg);
  emu->be_ports.assign(cfg.be_ports.size(), 0);
  if (!cfg.catalog_file.empty()) {
    err = emu->catalog.load_file(cfg.catalog_file);
    if (!err.empty()) {
      std::fprintf(stderr, "sr-emulator: %s\n", err.c_str());
      return 2;
    }
  }
  if (!cfg.data_dir.empty()) {
    std::vector<std::string> lines;
    err = emu->journal.open(cfg.data_dir, &lines);
    if (err.empty()) {
      std::lock_guard<std::mutex> lock(emu->mu);
      err = emu->replay(lines);
    }
    if (!err.empty()) {
      std::fprintf(stderr, "sr-emulator: %s\n", err.c_str());
      return 2;
    }
  }

  std::vector<std::unique_ptr<HttpServer>> servers;
  for (size_t i = 0; i < cfg.be_ports.size(); ++i) {
    auto s = std::make_unique<HttpServer>(Role::kBe, static_cast<int>(i), make_router(*emu, Role::kBe));
    err = s->start(cfg.bind, cfg.be_ports[i]);
    if (!err.empty()) {
      std::fprintf(stderr, "sr-emulator: BE (--be-port): %s\n", err.c_str());
      return 1;
    }
    emu->be_ports[i] = s->port();
    servers.push_back(std::move(s));
  }
  int dead_fd = -1;
  emu->dead_port = reserve_dead_port(cfg.bind, &dead_fd);
  if (cfg.follower) {
    auto leader = std::make_unique<HttpServer>(Role::kLeaderFe, -1, make_router(*emu, Role::kLeaderFe));
    err = leader->start(cfg.bind, 0);
    if (!err.empty()) {
      std::fprintf(stderr, "sr-emulator: leader FE: %s\n", err.c_str());
      return 1;
    }
    emu->leader_fe_port = leader->port();
    servers.push_back(std::move(leader));
  }
  auto fe = std::make_unique<HttpServer>(Role::kFe, -1, make_router(*emu, Role::kFe));
  err = fe->start(cfg.bind, cfg.fe_port);
  if (!err.empty()) {
    std::fprintf(stderr, "sr-emulator: FE (--fe-port): %s\n", err.c_str());
    return 1;
  }
  emu->fe_port = fe->port();
  if (!cfg.follower) emu->leader_fe_port = emu->fe_port;
  servers.push_back(std::move(fe));
  std::unique_ptr<QueryServer> query;  // --query-port: the MySQL protocol port (FE's 9030)
  if (cfg.query_port >= 0) {
    query = std::make_unique<QueryServer>(*emu);
    err = query->start(cfg.bind, cfg.query_port);
    if (!err.empty()) {
      std::fprintf(stderr, "sr-emulator: query port (--query-port): %s\n", err.c_str());
      return 1;
    }
  }

  std::string ready = "{\"fe_port\":" + std::to_string(emu->fe_port) + ",\"be_ports\":[";
  for (size_t i = 0; i < emu->be_ports.size(); ++i) ready += (i ? "," : "") + std::to_string(emu->be_ports[i]);
  ready += "]";
  if (cfg.follower) ready += ",\"leader_fe_port\":" + std::to_string(emu->leader_fe_port);
  if (query) ready += ",\"query_port\":" + std::to_string(query->port());
  ready += ",\"pid\":" + std::to_string(getpid()) + "}\n";
  std::fputs(ready.c_str(), stdout);
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  HttpServer::shutting_down().store(true);  // releases hanging handlers and delays
  if (query) query->stop();
  for (auto it = servers.rbegin(); it != servers.rend(); ++it) (*it)->stop();
  servers.clear();
  if (dead_fd >= 0) ::close(dead_fd);
  emu->journal.close();
  return 0;
}
