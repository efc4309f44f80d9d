// FE endpoints: stream-load redirect (spec §2.3/§8 FE.1), transaction routing and FE-side
// commit/rollback of PREPARED txns (§4.2), get_load_state and _cancel (§3.10), follower mode.
#pragma once
#include <memory>
#include <string>

#include "core/emulator.h"
#include "http/http.h"

namespace sremu {

std::unique_ptr<Handler> make_fe_stream_load(Emulator& emu, const std::string& db, const std::string& table);
std::unique_ptr<Handler> make_fe_txn(Emulator& emu, const std::string& op);
std::unique_ptr<Handler> make_get_load_state(Emulator& emu, const std::string& db);
std::unique_ptr<Handler> make_cancel(Emulator& emu, const std::string& db, const std::string& table);

// 307 to http://<bind>:<port><path>[?query], empty body (spec §2.2).
Response redirect(const Emulator& emu, int port, const Request& req, bool close);

}  // namespace sremu
