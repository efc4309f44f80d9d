// Arrow batch import (sr_sink_write_arrow: the host's ArrowSchema/ArrowArray are outside input)
// and the encoding of what it accepts. The input describes a batch: a struct of up to 4 fields,
// each of a format drawn from a table (or free text, for the format parser), with random lengths,
// offsets, null counts, buffer and child counts, validity bitmaps, dictionaries and buffer
// contents. As the C Data Interface cannot carry buffer sizes, the harness keeps the host's side
// of the contract: every buffer is kBuf bytes, lengths and offsets stay small, string offsets
// point inside their data buffer (list offsets and views only unless a flag asks for raw values,
// which the importer checks) — everything else is up to the importer. Checks: no crash,
// no read outside the buffers (ASan), errors name the field; an accepted batch encodes (JSON or
// CSV) to rows that are valid JSON objects / CSV lines of the right width, or to a clear error;
// CSV bodies of the direct path (flat columns) equal the general encoder's, errors too.
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "arrow_encode.h"
#include "arrow_import.h"
#include "fuzz_check.h"
#include "fuzz_input.h"
#include "json_oracle.h"
#include "wire_format.h"

using fuzz::show;

namespace {
constexpr size_t kBuf = 8192;

struct Fmt {
  const char* format;
  int buffers;   // -1: a view type (3 + variadic)
  int children;  // -1: a struct (1..3)
  enum Off { kNone, kData32, kData64, kList32, kList64, kView } off;
};
const Fmt kFormats[] = {
    {"n", 0, 0, Fmt::kNone},       {"b", 2, 0, Fmt::kNone},       {"c", 2, 0, Fmt::kNone},
    {"C", 2, 0, Fmt::kNone},       {"s", 2, 0, Fmt::kNone},       {"S", 2, 0, Fmt::kNone},
    {"i", 2, 0, Fmt::kNone},       {"I", 2, 0, Fmt::kNone},       {"l", 2, 0, Fmt::kNone},
    {"L", 2, 0, Fmt::kNone},       {"e", 2, 0, Fmt::kNone},       {"f", 2, 0, Fmt::kNone},
    {"g", 2, 0, Fmt::kNone},       {"d:10,2", 2, 0, Fmt::kNone},  {"d:38,10,128", 2, 0, Fmt::kNone},
    {"d:9,3,32", 2, 0, Fmt::kNone}, {"d:18,0,64", 2, 0, Fmt::kNone}, {"d:76,5,256", 2, 0, Fmt::kNone},
    {"tdD", 2, 0, Fmt::kNone},     {"tdm", 2, 0, Fmt::kNone},     {"tss:", 2, 0, Fmt::kNone},
    {"tsm:UTC", 2, 0, Fmt::kNone}, {"tsu:+05:30", 2, 0, Fmt::kNone}, {"tsn:", 2, 0, Fmt::kNone},
    {"tts", 2, 0, Fmt::kNone},     {"ttm", 2, 0, Fmt::kNone},     {"ttu", 2, 0, Fmt::kNone},
    {"ttn", 2, 0, Fmt::kNone},     {"w:4", 2, 0, Fmt::kNone},     {"w:16", 2, 0, Fmt::kNone},
    {"u", 3, 0, Fmt::kData32},     {"z", 3, 0, Fmt::kData32},     {"U", 3, 0, Fmt::kData64},
    {"Z", 3, 0, Fmt::kData64},     {"vu", -1, 0, Fmt::kView},     {"vz", -1, 0, Fmt::kView},
    {"+l", 2, 1, Fmt::kList32},    {"+L", 2, 1, Fmt::kList64},    {"+w:2", 1, 1, Fmt::kNone},
    {"+s", 1, -1, Fmt::kNone},     {"+m", 2, 1, Fmt::kList32},
};
constexpr size_t kNFormats = sizeof kFormats / sizeof kFormats[0];

void no_release_schema(ArrowSchema*) {}
void no_release_array(ArrowArray*) {}

class Builder {
 public:
  explicit Builder(fuzz::Input& in) : in_(in) {}

  // Builds one node into *s/*a; `forced` picks the format (-1: from the input).
  // `length` >= 0: the array's length (a batch's fields); else from the input. Decided before
  // the buffers are made, so offsets and views are kept inside them for the rows that exist.
  void node(ArrowSchema* s, ArrowArray* a, int depth, int forced = -1, int64_t length = -1) {
    std::memset(s, 0, sizeof *s);
    std::memset(a, 0, sizeof *a);
    s->release = no_release_schema;
    a->release = no_release_array;
    const uint8_t pick = in_.byte();
    const uint8_t flags = in_.byte();  // bit 0: raw offsets; 1: wrong counts; 2: no validity; 3: dictionary
    const Fmt* f = nullptr;
    if (forced >= 0) {
      f = &kFormats[forced];
    } else if (pick < 250 || depth > 2) {
      f = &kFormats[pick % kNFormats];
      while (depth > 2 && f->children != 0) f = &kFormats[(pick + 7) % 30];  // leaves only
    }
    std::string* fmt = strings_.emplace_back(new std::string(f ? f->format : std::string(in_.part()))).get();
    s->format = fmt->c_str();
    s->name = strings_.emplace_back(new std::string("f" + std::to_string(names_++))).get()->c_str();
    s->flags = 2;  // nullable
    a->length = in_.byte() % 49;
    if (length >= 0) a->length = length;
    a->offset = in_.byte() % 9;
    const int64_t end = a->length + a->offset;
    int n_data = f && f->buffers < 0 ? in_.byte() % 3 : 0;
    a->n_buffers = f ? (f->buffers < 0 ? 3 + n_data : f->buffers) : in_.byte() % 5;
    int n_children = f ? (f->children < 0 ? 1 + in_.byte() % 3 : f->children) : 0;
    if (flags & 2) {  // counts that do not fit the format
      a->n_buffers = in_.byte() % 5;
      n_children = in_.byte() % 3;
    }
    a->null_count = (flags & 4) ? 0 : -1;
    auto* bufs = ptrs_.emplace_back(new std::vector<const void*>(static_cast<size_t>(a->n_buffers))).get();
    for (int64_t i = 0; i < a->n_buffers; ++i) (*bufs)[static_cast<size_t>(i)] = buffer();
    if (a->n_buffers > 0 && (flags & 4)) (*bufs)[0] = nullptr;  // no validity bitmap
    if (f && f->buffers < 0 && a->n_buffers >= 3) {               // the variadic sizes
      auto* sizes = static_cast<int64_t*>(const_cast<void*>((*bufs)[static_cast<size_t>(a->n_buffers - 1)]));
      for (int64_t i = 0; i < a->n_buffers - 3; ++i) sizes[i] = static_cast<int64_t>(kBuf);
    }
    a->buffers = bufs->data();
    // Children first: list offsets are kept within the child's length.
    s->n_children = a->n_children = n_children;
    if (n_children > 0) {
      auto* sc = schema_ptrs_.emplace_back(new std::vector<ArrowSchema*>()).get();
      auto* ac = array_ptrs_.emplace_back(new std::vector<ArrowArray*>()).get();
      for (int i = 0; i < n_children; ++i) {
        ArrowSchema* cs = &schemas_.emplace_back();
        ArrowArray* ca = &arrays_.emplace_back();
        // A map's child is a struct of key and value.
        node(cs, ca, depth + 1, f && std::string(f->format) == "+m" ? 39 : -1);
        sc->push_back(cs);
        ac->push_back(ca);
      }
      s->children = sc->data();
      a->children = ac->data();
    }
    // String offsets are always kept inside the data buffer (the importer cannot know its size);
    // list offsets and views only without bit 0 (the importer checks those against the child's
    // length and the variadic sizes).
    const bool raw = (flags & 1) && f && f->off != Fmt::kData32 && f->off != Fmt::kData64;
    if (f && !raw && a->n_buffers >= 2 && a->buffers[1]) {
      const int64_t child_len = n_children > 0 ? a->children[0]->length + a->children[0]->offset : 0;
      void* off = const_cast<void*>(a->buffers[1]);
      switch (f->off) {
        case Fmt::kData32: monotonic<int32_t>(off, end, kBuf); break;
        case Fmt::kData64: monotonic<int64_t>(off, end, kBuf); break;
        case Fmt::kList32: monotonic<int32_t>(off, end, static_cast<size_t>(child_len)); break;
        case Fmt::kList64: monotonic<int64_t>(off, end, static_cast<size_t>(child_len)); break;
        case Fmt::kView: views(static_cast<unsigned char*>(off), end, n_data); break;
        default: break;
      }
    }
    if ((flags & 8) && f && f->children == 0 && std::string(f->format).size() == 1 &&
        std::strchr("cCsSiIlL", f->format[0])) {  // dictionary-encoded: this node holds indexes
      ArrowSchema* ds = &schemas_.emplace_back();
      ArrowArray* da = &arrays_.emplace_back();
      node(ds, da, depth + 1);
      s->dictionary = ds;
      a->dictionary = da;
    }
  }

 private:
  const void* buffer() {
    auto* b = bufs_.emplace_back(new std::vector<uint8_t>(kBuf)).get();
    const std::string_view src = in_.part();
    for (size_t i = 0; i < src.size() && i < kBuf; ++i) (*b)[i] = static_cast<uint8_t>(src[i]);
    if (src.size() < kBuf && !src.empty()) {  // repeat the pattern (more rows with values)
      for (size_t i = src.size(); i < kBuf; ++i) (*b)[i] = (*b)[i % src.size()];
    }
    return b->data();
  }
  // offsets[0..end]: non-decreasing, within [0, limit].
  template <typename T>
  void monotonic(void* p, int64_t end, size_t limit) {
    T* o = static_cast<T*>(p);
    T cur = static_cast<T>(static_cast<uint8_t>(o[0]) % 8);
    if (static_cast<size_t>(cur) > limit) cur = static_cast<T>(limit);
    for (int64_t i = 0; i <= end; ++i) {
      T step = static_cast<T>(static_cast<uint8_t>(o[i + 1]) % 24);
      o[i] = cur;
      if (static_cast<size_t>(cur + step) <= limit) cur = static_cast<T>(cur + step);
    }
  }
  // Views of length <= 12 are inline; longer ones point inside one of the n_data buffers.
  void views(unsigned char* v, int64_t end, int n_data) {
    for (int64_t i = 0; i < end; ++i) {
      unsigned char* x = v + 16 * i;
      int32_t len = x[0] % 48;
      std::memcpy(x, &len, 4);
      if (len > 12) {
        int32_t buf = n_data > 0 ? x[8] % n_data : 0;
        int32_t off = static_cast<int32_t>((x[12] | (x[13] << 8)) % (kBuf - static_cast<size_t>(len)));
        std::memcpy(x + 8, &buf, 4);
        std::memcpy(x + 12, &off, 4);
      }
    }
  }

  fuzz::Input& in_;
  int names_ = 0;
  std::deque<std::unique_ptr<std::vector<uint8_t>>> bufs_;
  std::deque<std::unique_ptr<std::vector<const void*>>> ptrs_;
  std::deque<std::unique_ptr<std::vector<ArrowSchema*>>> schema_ptrs_;
  std::deque<std::unique_ptr<std::vector<ArrowArray*>>> array_ptrs_;
  std::deque<std::unique_ptr<std::string>> strings_;

 public:
  std::deque<ArrowSchema> schemas_;
  std::deque<ArrowArray> arrays_;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const uint8_t ctl = in.byte();
  Builder b(in);
  ArrowSchema root_s;
  ArrowArray root_a;
  std::memset(&root_s, 0, sizeof root_s);
  std::memset(&root_a, 0, sizeof root_a);
  ArrowSchema* fs[4];
  ArrowArray* fa[4];
  const int n_fields = 1 + ctl % 4;
  int64_t rows = -1;
  for (int i = 0; i < n_fields; ++i) {
    fs[i] = &b.schemas_.emplace_back();
    fa[i] = &b.arrays_.emplace_back();
    // Usually the fields are as long as the batch; with bit 7, each has its own length.
    b.node(fs[i], fa[i], 1, -1, (ctl & 0x80) ? -1 : rows);
    if (rows < 0) rows = fa[i]->length;
  }
  static const char kStruct[] = "+s";
  root_s.format = kStruct;
  root_s.n_children = root_a.n_children = n_fields;
  root_s.children = fs;
  root_a.children = fa;
  root_s.release = no_release_schema;
  root_a.release = no_release_array;
  root_a.length = rows;
  root_a.n_buffers = 1;
  const void* root_bufs[1] = {nullptr};
  root_a.buffers = root_bufs;

  auto imported = srs::import_arrow_batch(root_s, root_a);
  if (!imported.ok()) {
    FUZZ_CHECK(!imported.status().message().empty(), "an import error without a message");
    return 0;
  }
  const srs::ArrowNode& root = imported.value();
  srs::ArrowTarget target;
  for (const auto& c : root.children) {
    target.columns.push_back(c.name);
    target.kinds.push_back(ctl & 0x10 ? srs::CsvKind::kJson : srs::CsvKind::kText);
    target.is_key.push_back(target.columns.size() == 1);
  }
  target.format = ctl & 0x20 ? srs::WireFormat::kCsv : srs::WireFormat::kJson;
  target.timezone_offset_s = (ctl & 0x40) ? 19800 : 0;
  std::vector<uint8_t> ops(static_cast<size_t>(root.length));
  for (size_t i = 0; i < ops.size(); ++i) ops[i] = static_cast<uint8_t>(i % 3 == 2);
  srs::EncodedRows out;
  srs::Status st = srs::encode_arrow_batch(root, ops.data(), target, &out);
  if (target.format == srs::WireFormat::kCsv) {
    // The direct CSV path (taken for flat columns) against the general encoder: the same bytes
    // and the same error.
    srs::ArrowTarget ref = target;
    ref.allow_direct = false;
    srs::EncodedRows ref_out;
    const srs::Status ref_st = srs::encode_arrow_batch(root, ops.data(), ref, &ref_out);
    FUZZ_CHECK(st.code() == ref_st.code() && st.message() == ref_st.message(),
               "direct CSV: `%s`, general: `%s`", st.message().c_str(), ref_st.message().c_str());
    if (st.ok()) {
      FUZZ_CHECK(out.body == ref_out.body && out.ends == ref_out.ends && out.deletes == ref_out.deletes,
                 "direct CSV body `%s` differs from the general one `%s`", show(out.body).c_str(),
                 show(ref_out.body).c_str());
    }
  }
  if (!st.ok()) {
    FUZZ_CHECK(!st.message().empty(), "an encode error without a message");
    return 0;
  }
  FUZZ_CHECK(out.ends.size() == static_cast<size_t>(root.length), "%zu rows encoded of %lld", out.ends.size(),
             static_cast<long long>(root.length));
  size_t start = 0;
  for (size_t r = 0; r < out.ends.size(); ++r) {
    FUZZ_CHECK(out.ends[r] > start && out.ends[r] <= out.body.size(), "row end");
    std::string_view row(out.body.data() + start, out.ends[r] - start);
    start = out.ends[r];
    if (target.format == srs::WireFormat::kJson) {
      FUZZ_CHECK(row.back() == '\n', "a JSON row without its newline");
      row.remove_suffix(1);
      FUZZ_CHECK(row.find('\n') == std::string_view::npos && fuzz::JsonOracle::valid_value(row),
                 "row %zu is not one JSON object: `%s`", r, show(row).c_str());
    } else {
      FUZZ_CHECK(row.back() == srs::kCsvRowDelimiter, "a CSV row without its delimiter");
      size_t seps = 0;
      for (char c : row) seps += c == srs::kCsvSeparator;
      FUZZ_CHECK(seps == target.columns.size(), "CSV row %zu has %zu separators for %zu columns: `%s`", r, seps,
                 target.columns.size(), show(row).c_str());
    }
  }
  FUZZ_CHECK(start == out.body.size(), "bytes after the last row");
  return 0;
}
