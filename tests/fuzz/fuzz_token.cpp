// The commit-token decoder (the token is read back from a host's checkpoint storage: outside
// input). Two halves, chosen by the first byte:
//  - decode arbitrary bytes: never a crash; an accepted token re-encodes to a token that decodes
//    to the same value (decode∘encode∘decode = decode), and inspect_token agrees with it;
//  - build a valid token from the bytes (labels made by txn_label, checkpoint order kept):
//    decode(encode(t)) == t.
#include <string>

#include "fuzz_check.h"
#include "fuzz_input.h"
#include "label.h"
#include "token.h"

using fuzz::show;

namespace {
bool same(const srs::CommitToken& a, const srs::CommitToken& b) {
  return a.db == b.db && a.table == b.table && a.instance_id == b.instance_id && a.prefix == b.prefix &&
         a.checkpoint_id == b.checkpoint_id && a.txns == b.txns && a.label_id == b.label_id;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const uint8_t mode = in.byte();
  if (mode & 1) {
    const std::string_view bytes = in.rest();
    auto t = srs::decode_token(bytes);
    auto info = srs::inspect_token(bytes);
    if (!t.ok()) {
      FUZZ_CHECK(!t.status().message().empty(), "decode error without a message");
      return 0;
    }
    FUZZ_CHECK(info.ok(), "decode accepts what inspect refuses (%s): `%s`", info.status().message().c_str(),
               show(bytes).c_str());
    FUZZ_CHECK(!info.value().on_watermark && info.value().checkpoint_id == t.value().checkpoint_id &&
                   info.value().n_transactions == t.value().txns.size(),
               "inspect disagrees with decode on `%s`", show(bytes).c_str());
    const std::string enc = srs::encode_token(t.value());
    auto back = srs::decode_token(enc);
    FUZZ_CHECK(back.ok(), "re-encoded token refused (%s): `%s` from `%s`", back.status().message().c_str(),
               show(enc).c_str(), show(bytes).c_str());
    FUZZ_CHECK(same(back.value(), t.value()), "round trip changed `%s` into `%s`", show(bytes).c_str(),
               show(enc).c_str());
    FUZZ_CHECK(srs::encode_token(back.value()) == enc, "encoding is not a fixpoint: `%s`", show(enc).c_str());
    return 0;
  }
  srs::CommitToken t;
  t.db = std::string(in.part());
  t.table = std::string(in.part());
  t.instance_id = std::string(in.part());
  t.prefix = std::string(in.part());
  // As the library gets them: C strings (sr_sink_open's db/table/instance_id, the label_prefix
  // option), so never empty here and never holding a NUL.
  for (const std::string* s : {&t.db, &t.table, &t.instance_id, &t.prefix}) {
    if (s->empty() || s->find('\0') != std::string::npos) return 0;
  }
  int64_t id = static_cast<int64_t>(in.u64(2));
  const int n = in.byte() % 6;
  for (int k = 0; k < n; ++k) {
    id += in.byte() % 3 + 1;
    t.txns.push_back({id, srs::txn_label(t.prefix, t.table, t.instance_id, id)});
  }
  t.checkpoint_id = id + in.byte() % 3;
  t.label_id = t.checkpoint_id + in.byte() % 3;
  if (t.checkpoint_id > srs::kMaxTokenCheckpointId || t.label_id > srs::kMaxTokenCheckpointId) return 0;
  const std::string enc = srs::encode_token(t);
  auto back = srs::decode_token(enc);
  FUZZ_CHECK(back.ok(), "a valid token is refused (%s): `%s`", back.status().message().c_str(), show(enc).c_str());
  FUZZ_CHECK(same(back.value(), t), "round trip changed `%s`", show(enc).c_str());
  FUZZ_CHECK(srs::check_token_owner(back.value(), t.db, t.table, t.instance_id).ok(), "owner check on `%s`",
             show(enc).c_str());
  return 0;
}
