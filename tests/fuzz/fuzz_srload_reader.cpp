// sr-load's input readers: the record reader (lines; CSV records whose quoted fields span lines)
// and the row converter (NDJSON passed through minus the op field; CSV fields to JSON strings),
// as main.c/epoch.c drive them: the first record names the columns. The input goes through a
// memfd, as a file would. First byte: bit 0 = CSV, bits 1-2 = delimiter (, \t ; |).
// Never a crash; every converted row is one JSON object (CSV rows: one the library's row rules
// accept, since sr-load writes every CSV value itself; NDJSON rows: strict JSON, the library
// still checks \u escapes of surrogates) and every op is 0 or 1; line numbers never go back.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <string>

extern "C" {
#include "reader.h"
#include "rows.h"
#include "strbuf.h"
}
#include "fuzz_check.h"
#include "json_oracle.h"

using fuzz::show;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int csv = data[0] & 1;
  static const char kDelims[] = {',', '\t', ';', '|'};
  const char delim = kDelims[(data[0] >> 1) & 3];
  ++data, --size;
  int fd = memfd_create("srload-fuzz", 0);
  FUZZ_CHECK(fd >= 0, "memfd_create");
  for (size_t off = 0; off < size;) {
    ssize_t w = write(fd, data + off, size - off);
    FUZZ_CHECK(w > 0, "write");
    off += static_cast<size_t>(w);
  }
  lseek(fd, 0, SEEK_SET);
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  reader rd;
  char err[512], why[512];
  if (reader_open(&rd, path, err, sizeof err) != 0) {
    close(fd);
    return 0;
  }
  row_conv conv;
  row_conv_init(&conv, csv ? FORMAT_CSV : FORMAT_NDJSON, "__op", delim);
  strbuf out = {};
  char** cols = nullptr;
  uint64_t last_line = 0;
  auto next = [&](const char** p, size_t* n, uint64_t* line) {
    int r = csv ? reader_next_csv_record(&rd, p, n, line, err, sizeof err)
                : reader_next_line(&rd, p, n, line, err, sizeof err);
    if (r == 1) {
      FUZZ_CHECK(*line >= last_line, "line number went back from %llu to %llu",
                 static_cast<unsigned long long>(last_line), static_cast<unsigned long long>(*line));
      last_line = *line;
    }
    return r;
  };
  const char* p;
  size_t n;
  uint64_t line;
  std::string first;
  bool have_first = false;
  if (csv) {
    if (next(&p, &n, &line) == 1 && row_conv_set_header(&conv, p, n, why, sizeof why) == 0) {
      cols = row_conv_infer_columns(&conv, nullptr, 0, why, sizeof why);
    }
  } else {
    int r;
    while ((r = next(&p, &n, &line)) == 1 && n == 0) {
    }
    if (r == 1) {
      first.assign(p, n);
      have_first = true;
      cols = row_conv_infer_columns(&conv, first.data(), first.size(), why, sizeof why);
    }
  }
  if (cols) {
    size_t n_cols = 0;
    while (cols[n_cols]) ++n_cols;
    if (row_conv_set_columns(&conv, cols, n_cols, why, sizeof why) == 0) {
      auto convert = [&](const char* rp, size_t rn) {
        out.len = 0;
        uint8_t op = 9;
        int c = row_convert(&conv, rp, rn, &out, &op, why, sizeof why);
        if (c != 0) return;
        const std::string_view row(out.p ? out.p : "", out.len);
        FUZZ_CHECK(op == 0 || op == 1, "op %d", op);
        if (csv) {
          FUZZ_CHECK(fuzz::JsonOracle::valid_row(row), "CSV record `%s` became `%s`", show({rp, rn}).c_str(),
                     show(row).c_str());
        } else {
          FUZZ_CHECK(!row.empty() && row[0] == '{' && fuzz::JsonOracle::valid_value(row, true),
                     "NDJSON line `%s` became `%s`", show({rp, rn}).c_str(), show(row).c_str());
        }
      };
      if (have_first) convert(first.data(), first.size());
      for (int k = 0; k < 10000 && next(&p, &n, &line) == 1; ++k) convert(p, n);
    }
    free_strv(cols);
  }
  sb_free(&out);
  row_conv_free(&conv);
  reader_close(&rd);
  close(fd);
  return 0;
}
