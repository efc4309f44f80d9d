// URL routing for the FE (and leader FE) and BE daemons.
#pragma once
#include "emulator.h"
#include "server.h"

namespace sremu {

Router make_router(Emulator& emu, Role role);

}  // namespace sremu
