// BE side of the Stream Load transaction interface (spec §4): /api/transaction/{begin,load,
// prepare,commit,rollback,list}, with the per-label lock, identical-headers check and the §4.5
// state machine.
#pragma once
#include <memory>
#include <string>

#include "emulator.h"
#include "http.h"

namespace sremu {

std::unique_ptr<Handler> make_be_txn(Emulator& emu, const std::string& op);

}  // namespace sremu
