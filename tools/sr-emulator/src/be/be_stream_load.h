// BE `PUT /api/{db}/{table}/_stream_load`: header phase (auth, sizes, label, header validation,
// txn begin) answered before any body byte is read, then body, parse, filter ratio, commit.
#pragma once
#include <memory>

#include "core/emulator.h"
#include "http/http.h"

namespace sremu {

std::unique_ptr<Handler> make_be_stream_load(Emulator& emu, const std::string& db, const std::string& table);

// A stream-load style reply for a fault of action `reply`.
Response fault_reply_stream_load(const Fault& f, const std::string& label, const std::string& db,
                                 const std::string& table);

}  // namespace sremu
