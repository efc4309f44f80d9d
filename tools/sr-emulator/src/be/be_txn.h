// BE side of the Stream Load transaction interface (spec §4): /api/transaction/{begin,load,
// prepare,commit,rollback,list}, with the per-label lock, identical-headers check and the §4.5
// state machine.
#pragma once
#include <memory>
#include <string>

#include "core/emulator.h"
#include "http/http.h"

namespace sremu {

std::unique_ptr<Handler> make_be_txn(Emulator& emu, const std::string& op);

// --discard: the rows of a transaction that just committed count like a plain Stream Load's
// (the table's `rows`, the emulator's `discarded_rows`). Call once per commit, with emu.mu held,
// from every place that commits a transaction (BE commit of a PREPARE txn, FE commit of a
// PREPARED one). No-op without --discard.
void count_discarded_commit_locked(Emulator& emu, const Txn& t);

}  // namespace sremu
