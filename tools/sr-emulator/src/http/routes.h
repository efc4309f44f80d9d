// URL routing for the FE (and leader FE) and BE daemons.
#pragma once
#include "core/emulator.h"
#include "http/server.h"

namespace sremu {

Router make_router(Emulator& emu, Role role);

}  // namespace sremu
