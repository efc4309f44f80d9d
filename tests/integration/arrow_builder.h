// Arrow C Data Interface arrays built by hand for tests (no Arrow library): a column tree owned by
// the exported struct's private_data, and release callbacks that count how often they run.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sr_sink.h"

namespace arrowtest {

inline std::atomic<int> schema_releases{0}, array_releases{0};

struct Col {
  std::string name, format;
  int64_t length = 0, null_count = 0, offset = 0;
  std::vector<std::vector<uint8_t>> buffers;  // empty vector + absent flag = NULL buffer
  std::vector<bool> present;
  std::vector<Col> children;
  std::shared_ptr<Col> dict;
  int64_t n_buffers_override = -1;
};

inline std::vector<uint8_t> validity(const std::vector<bool>& valid, int64_t* nulls) {
  std::vector<uint8_t> v((valid.size() + 7) / 8 + 1, 0);
  *nulls = 0;
  for (size_t i = 0; i < valid.size(); ++i) {
    if (valid[i]) v[i / 8] |= uint8_t(1u << (i % 8));
    else ++*nulls;
  }
  return v;
}

template <typename T>
Col fixed(const std::string& name, const std::string& format, const std::vector<std::optional<T>>& vals) {
  Col c;
  c.name = name;
  c.format = format;
  c.length = (int64_t)vals.size();
  std::vector<bool> valid;
  std::vector<uint8_t> data(vals.size() * sizeof(T) + 8);
  for (size_t i = 0; i < vals.size(); ++i) {
    valid.push_back(vals[i].has_value());
    T v = vals[i].value_or(T{});
    std::memcpy(data.data() + i * sizeof(T), &v, sizeof(T));
  }
  c.buffers = {validity(valid, &c.null_count), data};
  c.present = {c.null_count > 0, true};
  return c;
}

inline Col boolean(const std::string& name, const std::vector<std::optional<bool>>& vals) {
  Col c;
  c.name = name;
  c.format = "b";
  c.length = (int64_t)vals.size();
  std::vector<bool> valid, bits;
  for (auto& v : vals) {
    valid.push_back(v.has_value());
    bits.push_back(v.value_or(false));
  }
  int64_t dummy;
  c.buffers = {validity(valid, &c.null_count), validity(bits, &dummy)};
  c.present = {c.null_count > 0, true};
  return c;
}

// utf8 ("u") or binary ("z"); large ("U"/"Z") with 64-bit offsets.
inline Col strings(const std::string& name, const std::vector<std::optional<std::string>>& vals,
                   const std::string& format = "u") {
  Col c;
  c.name = name;
  c.format = format;
  c.length = (int64_t)vals.size();
  const bool large = format == "U" || format == "Z";
  std::vector<bool> valid;
  std::vector<uint8_t> offs, data;
  auto push_off = [&](int64_t o) {
    if (large) offs.insert(offs.end(), (uint8_t*)&o, (uint8_t*)&o + 8);
    else {
      int32_t o32 = (int32_t)o;
      offs.insert(offs.end(), (uint8_t*)&o32, (uint8_t*)&o32 + 4);
    }
  };
  push_off(0);
  for (auto& v : vals) {
    valid.push_back(v.has_value());
    if (v) data.insert(data.end(), v->begin(), v->end());
    push_off((int64_t)data.size());
  }
  data.push_back(0);
  c.buffers = {validity(valid, &c.null_count), offs, data};
  c.present = {c.null_count > 0, true, true};
  return c;
}

// list ("+l") of child, with offsets and per-row validity.
inline Col list(const std::string& name, const std::vector<int32_t>& offsets, Col child,
                const std::vector<bool>& valid = {}) {
  Col c;
  c.name = name;
  c.format = "+l";
  c.length = (int64_t)offsets.size() - 1;
  std::vector<bool> v = valid.empty() ? std::vector<bool>(c.length, true) : valid;
  std::vector<uint8_t> offs((uint8_t*)offsets.data(), (uint8_t*)(offsets.data() + offsets.size()));
  c.buffers = {validity(v, &c.null_count), offs};
  c.present = {c.null_count > 0, true};
  c.children.push_back(std::move(child));
  return c;
}

inline Col strukt(const std::string& name, std::vector<Col> children, int64_t length) {
  Col c;
  c.name = name;
  c.format = "+s";
  c.length = length;
  c.buffers = {{}};
  c.present = {false};
  c.children = std::move(children);
  return c;
}

struct Holder {
  Col col;
  std::vector<std::unique_ptr<ArrowSchema>> schemas;
  std::vector<std::unique_ptr<ArrowArray>> arrays;
  std::vector<std::unique_ptr<std::vector<const void*>>> bufptrs;
  std::vector<std::unique_ptr<std::vector<ArrowSchema*>>> schild;
  std::vector<std::unique_ptr<std::vector<ArrowArray*>>> achild;
};

inline void child_schema_release(ArrowSchema* s) { s->release = nullptr; }
inline void child_array_release(ArrowArray* a) { a->release = nullptr; }

inline void fill(Holder* h, Col& c, ArrowSchema* s, ArrowArray* a) {
  std::memset(s, 0, sizeof(*s));
  std::memset(a, 0, sizeof(*a));
  s->format = c.format.c_str();
  s->name = c.name.c_str();
  s->flags = ARROW_FLAG_NULLABLE;
  s->release = &child_schema_release;
  a->length = c.length;
  a->null_count = c.null_count;
  a->offset = c.offset;
  auto bp = std::make_unique<std::vector<const void*>>();
  for (size_t i = 0; i < c.buffers.size(); ++i) bp->push_back(c.present[i] ? c.buffers[i].data() : nullptr);
  a->n_buffers = c.n_buffers_override >= 0 ? c.n_buffers_override : (int64_t)bp->size();
  a->buffers = bp->data();
  h->bufptrs.push_back(std::move(bp));
  a->release = &child_array_release;
  auto sc = std::make_unique<std::vector<ArrowSchema*>>();
  auto ac = std::make_unique<std::vector<ArrowArray*>>();
  for (Col& ch : c.children) {
    h->schemas.push_back(std::make_unique<ArrowSchema>());
    h->arrays.push_back(std::make_unique<ArrowArray>());
    ArrowSchema* cs = h->schemas.back().get();
    ArrowArray* ca = h->arrays.back().get();
    fill(h, ch, cs, ca);
    sc->push_back(cs);
    ac->push_back(ca);
  }
  s->n_children = a->n_children = (int64_t)c.children.size();
  s->children = sc->data();
  a->children = ac->data();
  h->schild.push_back(std::move(sc));
  h->achild.push_back(std::move(ac));
  if (c.dict) {
    h->schemas.push_back(std::make_unique<ArrowSchema>());
    h->arrays.push_back(std::make_unique<ArrowArray>());
    s->dictionary = h->schemas.back().get();
    a->dictionary = h->arrays.back().get();
    fill(h, *c.dict, s->dictionary, a->dictionary);
  }
}

// A record batch (struct of columns) exported into schema/array that own it; each root release
// frees its half once both have been released and counts the call.
struct Exported {
  ArrowSchema schema;
  ArrowArray array;
};

inline void export_batch(std::vector<Col> cols, int64_t length, ArrowSchema* schema, ArrowArray* array,
                         int64_t offset = 0) {
  auto* h = new Holder;
  h->col = strukt("", std::move(cols), length);
  h->col.offset = offset;
  fill(h, h->col, schema, array);
  // Shared ownership between the two roots: a counter in a small block.
  struct Shared {
    Holder* h;
    int refs;
  };
  auto* sh = new Shared{h, 2};
  schema->private_data = sh;
  array->private_data = sh;
  schema->release = [](ArrowSchema* s) {
    schema_releases++;
    auto* sh = static_cast<Shared*>(s->private_data);
    s->release = nullptr;
    if (--sh->refs == 0) {
      delete sh->h;
      delete sh;
    }
  };
  array->release = [](ArrowArray* a) {
    array_releases++;
    auto* sh = static_cast<Shared*>(a->private_data);
    a->release = nullptr;
    if (--sh->refs == 0) {
      delete sh->h;
      delete sh;
    }
  };
}

}  // namespace arrowtest
