// The direct CSV path's row loop alone (csv_direct_prepare + csv_direct_rows into a plain
// buffer), on batches of the bench's orders shape: id int64 (key), customer int32, name utf8,
// amount decimal128(12,2), ts timestamp[s], flag bool; 5 % deletes with the other columns null;
// values in bench/gen.c's ranges. Prints the best of 40 passes in ns per row (thread CPU time):
// no I/O thread, no load buffer, no page faults, so it measures what a change to arrow_csv_direct.* does to the writer's
// formatting cost far more steadily than bench/formats.py on a shared machine.
//   sr_sink_arrow_csv_bench [columns]   columns: a 0/1 mask over the six, e.g. 000100 = amount
// Not a test (nothing to fail); the numbers of issue #16's third round are in bench/README.md.
#include <time.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "arrow_csv_direct.h"
#include "arrow_encode.h"

namespace {

// The names of bench/gen.c's orders ("zoe lopez-85205": 9 to 20 bytes).
const char* const kFirst[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace",
                              "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy",
                              "rupert", "sybil", "trent", "victor", "walter", "zoe"};
const char* const kLast[] = {"smith", "jones", "garcia", "miller", "davis", "martinez",
                             "lopez", "wilson", "anderson", "thomas", "moore", "jackson",
                             "martin", "lee", "thompson", "white", "harris", "clark"};

struct Rows {
  std::vector<char> buf = std::vector<char>(64 << 20);  // one pass's rows, reused
  size_t used = 0;
  char* row_space(size_t) { return buf.data() + used; }
  void commit_row(size_t n) { used += n; }
};

double thread_us() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace srs;
  const int64_t n = 4096, nb = 64, total = n * nb;
  std::mt19937_64 rng(16);
  std::vector<int64_t> id(total), ts(total);
  std::vector<int32_t> cust(total), off{0};
  std::vector<uint64_t> amount(2 * total, 0);
  std::string names;
  std::vector<uint8_t> valid(total / 8 + 8, 0), flags(total / 8 + 8), ops(total);
  for (int64_t i = 0; i < total; ++i) {
    id[i] = 1000000 + i;
    cust[i] = static_cast<int32_t>(100000 + rng() % 900000);
    amount[2 * i] = rng() % 100000000;
    ts[i] = 1704067200 + static_cast<int64_t>(rng() % (366 * 86400));
    names += kFirst[rng() % 20] + std::string(" ") + kLast[rng() % 18] + "-" + std::to_string(rng() % 100000);
    off.push_back(static_cast<int32_t>(names.size()));
    ops[i] = rng() % 20 == 0;
    if (!ops[i]) valid[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
    flags[i / 8] = static_cast<uint8_t>(rng());
  }
  auto col = [&](const char* name, ArrowType type, const void* values, const uint8_t* validity) {
    ArrowNode c;
    c.name = name;
    c.type = type;
    c.length = total;
    c.values = values;
    c.validity = validity;
    return c;
  };
  std::vector<ArrowNode> all;
  all.push_back(col("id", ArrowType::kInt64, id.data(), nullptr));
  all.push_back(col("customer", ArrowType::kInt32, cust.data(), valid.data()));
  all.push_back(col("name", ArrowType::kUtf8, nullptr, valid.data()));
  all.back().offsets = off.data();
  all.back().data = names.data();
  all.push_back(col("amount", ArrowType::kDecimal, amount.data(), valid.data()));
  all.back().width_bits = 128;
  all.back().precision = 12;
  all.back().scale = 2;
  all.push_back(col("ts", ArrowType::kTimestamp, ts.data(), valid.data()));
  all.push_back(col("flag", ArrowType::kBool, flags.data(), valid.data()));
  const std::string mask = argc > 1 ? argv[1] : "111111";
  ArrowNode root;
  root.type = ArrowType::kStruct;
  root.length = n;
  ArrowTarget t;
  t.format = WireFormat::kCsv;
  for (size_t k = 0; k < all.size(); ++k) {
    if (k < mask.size() && mask[k] != '1') continue;
    t.columns.push_back(all[k].name);
    t.kinds.push_back(CsvKind::kText);
    t.is_key.push_back(k == 0);
    root.children.push_back(std::move(all[k]));
  }
  ArrowColumns cols;
  if (root.children.empty() || !map_arrow_fields(root, ops.data(), t, &cols).ok() || !arrow_csv_direct_ok(cols, t)) {
    std::fprintf(stderr, "the mask %s gives no batch the direct path takes\n", mask.c_str());
    return 2;
  }
  csv_direct::CsvDirectPlan plan;
  Rows rows;
  double best = 1e18;
  for (int pass = 0; pass < 40; ++pass) {
    rows.used = 0;
    const double t0 = thread_us();
    for (int64_t b = 0; b < nb; ++b) {
      root.offset = b * n;
      uint64_t deletes = 0;
      csv_direct::csv_direct_prepare(cols, t, &plan);
      const Status st = csv_direct::csv_direct_rows(root, ops.data() + b * n, cols, t, &plan, rows, &deletes);
      if (!st.ok()) {
        std::fprintf(stderr, "%s\n", st.message().c_str());
        return 1;
      }
    }
    best = std::min(best, thread_us() - t0);
  }
  std::printf("{\"columns\":\"%s\",\"ns_per_row\":%.1f,\"bytes\":%zu}\n", mask.c_str(), best * 1000 / total, rows.used);
  return 0;
}
