// /_emulator/* admin API (EMULATOR-CONTRACT.md): tables, rows dump, stats, faults, clock, users.
#pragma once
#include <memory>

#include "core/emulator.h"
#include "http/http.h"

namespace sremu {

std::unique_ptr<Handler> make_admin(Emulator& emu, const Request& req);

}  // namespace sremu
