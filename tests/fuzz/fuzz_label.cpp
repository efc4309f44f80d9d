// Label building from host-given parts (label_prefix, table name, instance id, run id): every
// label is valid (^[-\w]{1,128}$), distinct parts give distinct labels (injective), and a
// transaction label parses back to its id for its own instance.
#include <string>

#include "fuzz_check.h"
#include "fuzz_input.h"
#include "label.h"

using fuzz::show;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  struct Parts {
    std::string prefix, table, instance;
    int64_t id;
  } a, b;
  for (Parts* p : {&a, &b}) {
    p->prefix = std::string(in.part());
    p->table = std::string(in.part());
    p->instance = std::string(in.part());
    p->id = static_cast<int64_t>(in.u64(7));  // 0 .. 2^56-1, beyond a token's 2^53-1 too
  }
  const std::string la = srs::txn_label(a.prefix, a.table, a.instance, a.id);
  const std::string lb = srs::txn_label(b.prefix, b.table, b.instance, b.id);
  FUZZ_CHECK(srs::is_valid_label(la) && la.size() <= 128, "invalid label `%s`", show(la).c_str());
  const bool same = a.prefix == b.prefix && a.table == b.table && a.instance == b.instance && a.id == b.id;
  FUZZ_CHECK(same == (la == lb), "labels of (%s|%s|%s|%lld) and (%s|%s|%s|%lld): `%s` / `%s`",
             show(a.prefix).c_str(), show(a.table).c_str(), show(a.instance).c_str(), static_cast<long long>(a.id),
             show(b.prefix).c_str(), show(b.table).c_str(), show(b.instance).c_str(), static_cast<long long>(b.id),
             show(la).c_str(), show(lb).c_str());
  int64_t id = -1;
  if (a.id <= (int64_t{1} << 53) - 1) {
    FUZZ_CHECK(srs::parse_txn_label_id(la, a.prefix, a.table, a.instance, &id) && id == a.id,
               "`%s` does not parse back to %lld", show(la).c_str(), static_cast<long long>(a.id));
  }
  if (!(a.prefix == b.prefix && a.table == b.table && a.instance == b.instance)) {
    FUZZ_CHECK(!srs::parse_txn_label_id(la, b.prefix, b.table, b.instance, &id),
               "`%s` parses as another instance's label", show(la).c_str());
  }
  // on_watermark labels: prefix, table, run id, sequence.
  const std::string wa = srs::watermark_label(a.prefix, a.table, a.instance, static_cast<uint64_t>(a.id));
  const std::string wb = srs::watermark_label(b.prefix, b.table, b.instance, static_cast<uint64_t>(b.id));
  FUZZ_CHECK(srs::is_valid_label(wa) && wa.size() <= 128, "invalid watermark label `%s`", show(wa).c_str());
  FUZZ_CHECK(same == (wa == wb), "watermark labels `%s` / `%s`", show(wa).c_str(), show(wb).c_str());
  const std::string s = srs::sanitize_label_part(a.prefix, 32);
  FUZZ_CHECK(s.size() <= 32 && (a.prefix.empty() || srs::is_valid_label(s)), "sanitized `%s`", show(s).c_str());
  return 0;
}
