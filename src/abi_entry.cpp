// The only file that speaks C: argument and struct_size checks, C++ called inside try/catch,
// Status → sr_sink_error, and the function table for dlopen hosts (abi/sr_sink.h).
//
// struct_size rule for inputs: 1.0 is the first ABI, so a struct smaller than its 1.0 size is
// SR_SINK_E_INVALID_ARGUMENT; a larger one (a host built against a later minor) is accepted and
// only the fields this library knows are read. Outputs (sr_sink_error, sr_sink_stats) get only
// the fields that fit in their struct_size.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "connector.h"
#include "credentials.h"
#include "http.h"
#include "log.h"
#include "sink.h"
#include "sr_sink.h"
#include "status.h"
#include "token.h"
#include "version.h"

using srs::Status;

namespace {

srs::Connector* as_connector(sr_sink_connector* c) { return reinterpret_cast<srs::Connector*>(c); }
srs::Sink* as_sink(sr_sink* s) { return reinterpret_cast<srs::Sink*>(s); }

void copy_string(char* dst, size_t room, const std::string& src) {
  if (room == 0) return;
  size_t n = std::min(room - 1, src.size());
  std::memcpy(dst, src.data(), n);
  dst[n] = '\0';
}

// Writes what fits of `st` into the caller's error struct; resets it on OK.
void fill_error(sr_sink_error* err, const Status& st) {
  if (!err) return;
  const size_t size = err->struct_size;
  auto fits = [&](size_t offset, size_t n) { return size >= offset + n; };
  if (fits(offsetof(sr_sink_error, code), sizeof(int32_t))) err->code = st.code();
  if (fits(offsetof(sr_sink_error, flags), sizeof(uint32_t))) err->flags = st.ok() ? 0 : st.flags();
  if (fits(offsetof(sr_sink_error, http_status), sizeof(int32_t))) {
    err->http_status = st.ok() ? 0 : st.http_status();
  }
  const size_t label_off = offsetof(sr_sink_error, label);
  if (size > label_off) {
    copy_string(err->label, std::min<size_t>(SR_SINK_ERROR_LABEL_MAX, size - label_off),
                st.ok() ? "" : st.label());
  }
  const size_t msg_off = offsetof(sr_sink_error, message);
  if (size > msg_off) {
    // Messages are built without secrets; redacting again is the last line of defence.
    copy_string(err->message, std::min<size_t>(SR_SINK_ERROR_MESSAGE_MAX, size - msg_off),
                st.ok() ? "" : srs::redact(st.message()));
  }
}

Status invalid(const std::string& msg) { return Status::Error(SR_SINK_E_INVALID_ARGUMENT, msg); }

Status too_small(const char* what, uint32_t got, size_t want) {
  return invalid(std::string(what) + "->struct_size is " + std::to_string(got) +
                 ", smaller than the " + std::to_string(want) + " bytes of ABI 1.0");
}

// Runs `f` (returning Status) with exceptions turned into status codes; fills `err`.
template <typename F>
int32_t guarded(sr_sink_error* err, F&& f) noexcept {
  Status st;
  try {
    st = f();
  } catch (const std::bad_alloc&) {
    st = Status::Error(SR_SINK_E_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    st = Status::Error(SR_SINK_E_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    st = Status::Error(SR_SINK_E_INTERNAL, "internal error: unknown exception");
  }
  try {
    fill_error(err, st);
  } catch (...) {
  }
  return st.code();
}

void release_token(sr_sink_token* token) {
  if (!token) return;
  delete static_cast<std::string*>(token->private_data);
  token->private_data = nullptr;
  token->data = nullptr;
  token->len = 0;
  token->release = nullptr;
}

}  // namespace

extern "C" {

SR_SINK_API uint32_t sr_sink_abi_version(void) { return SR_SINK_ABI_VERSION; }

SR_SINK_API const char* sr_sink_version_string(void) { return srs::version_string(); }

SR_SINK_API const char* sr_sink_build_info(void) {
  try {
    return srs::build_info();
  } catch (...) {
    return "sr_sink " SR_SINK_VERSION_STRING;
  }
}

SR_SINK_API const char* sr_sink_status_name(int32_t status) {
  switch (status) {
    case SR_SINK_OK: return "SR_SINK_OK";
    case SR_SINK_E_INVALID_ARGUMENT: return "SR_SINK_E_INVALID_ARGUMENT";
    case SR_SINK_E_CONFIG: return "SR_SINK_E_CONFIG";
    case SR_SINK_E_NO_ROUTE: return "SR_SINK_E_NO_ROUTE";
    case SR_SINK_E_SCHEMA: return "SR_SINK_E_SCHEMA";
    case SR_SINK_E_DATA: return "SR_SINK_E_DATA";
    case SR_SINK_E_AUTH: return "SR_SINK_E_AUTH";
    case SR_SINK_E_NETWORK: return "SR_SINK_E_NETWORK";
    case SR_SINK_E_TIMEOUT: return "SR_SINK_E_TIMEOUT";
    case SR_SINK_E_LOAD: return "SR_SINK_E_LOAD";
    case SR_SINK_E_TXN: return "SR_SINK_E_TXN";
    case SR_SINK_E_STATE: return "SR_SINK_E_STATE";
    case SR_SINK_E_NOT_SUPPORTED: return "SR_SINK_E_NOT_SUPPORTED";
    case SR_SINK_E_RETRY_LATER: return "SR_SINK_E_RETRY_LATER";
    case SR_SINK_E_CANCELLED: return "SR_SINK_E_CANCELLED";
    case SR_SINK_E_RECOVERY: return "SR_SINK_E_RECOVERY";
    case SR_SINK_E_VERSION: return "SR_SINK_E_VERSION";
    case SR_SINK_E_NO_MEMORY: return "SR_SINK_E_NO_MEMORY";
    case SR_SINK_E_INTERNAL: return "SR_SINK_E_INTERNAL";
    default: return "SR_SINK_E_UNKNOWN";
  }
}

SR_SINK_API int32_t sr_sink_connector_new(const sr_sink_host* host, sr_sink_connector** out,
                                          sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!out) return invalid("sr_sink_connector_new: out is NULL");
    srs::Logger log;
    if (host) {
      if (host->struct_size < sizeof(sr_sink_host)) {
        return too_small("host", host->struct_size, sizeof(sr_sink_host));
      }
      if (host->log_level < 0) {
        return invalid("host->log_level " + std::to_string(host->log_level) +
                       " is not 0 or a SR_SINK_LOG_* level");
      }
      // A level this version does not know (a later minor's finer level) means "everything".
      log = srs::Logger(host->log, host->log_user_data,
                        std::min<int32_t>(host->log_level, SR_SINK_LOG_DEBUG));
    }
    srs::http_global_init();
    *out = reinterpret_cast<sr_sink_connector*>(new srs::Connector(log));
    return Status::OK();
  });
}

SR_SINK_API int32_t sr_sink_connector_add_sink(sr_sink_connector* connector, const char* glob,
                                               const char* options_json,
                                               const sr_sink_credentials* credentials,
                                               sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    // Take over the credentials first, so release runs on every failure path below.
    std::unique_ptr<srs::CredentialsProvider> provider;
    if (credentials && credentials->struct_size >= sizeof(sr_sink_credentials)) {
      provider = std::make_unique<srs::CredentialsProvider>(*credentials);
    }
    if (!connector) return invalid("sr_sink_connector_add_sink: connector is NULL");
    if (!glob) return invalid("sr_sink_connector_add_sink: glob is NULL");
    if (!options_json) return invalid("sr_sink_connector_add_sink: options_json is NULL");
    if (!credentials) return invalid("sr_sink_connector_add_sink: credentials is NULL");
    if (!provider) {
      return too_small("credentials", credentials->struct_size, sizeof(sr_sink_credentials));
    }
    if (credentials->reserved0 != 0) return invalid("credentials->reserved0 must be 0");
    if (!credentials->get) return invalid("credentials->get is NULL");
    return as_connector(connector)->add_sink(glob, options_json, std::move(provider));
  });
}

SR_SINK_API int32_t sr_sink_connector_register(sr_sink_connector* connector,
                                               const sr_sink_registration* reg,
                                               sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!reg) return invalid("sr_sink_connector_register: reg is NULL");
    if (reg->struct_size < sizeof(sr_sink_registration)) {
      return too_small("reg", reg->struct_size, sizeof(sr_sink_registration));
    }
    // Take over both callbacks first, so their release runs on every failure path below.
    std::unique_ptr<srs::CredentialsProvider> provider;
    const sr_sink_credentials* cr = reg->credentials;
    if (cr && cr->struct_size >= sizeof(sr_sink_credentials)) {
      provider = std::make_unique<srs::CredentialsProvider>(*cr);
    }
    std::unique_ptr<srs::RejectedRowsConsumer> rejected;
    const sr_sink_rejected_rows* rr = reg->rejected_rows;
    if (rr && rr->struct_size >= sizeof(sr_sink_rejected_rows)) {
      rejected = std::make_unique<srs::RejectedRowsConsumer>(*rr);
    }
    if (!connector) return invalid("sr_sink_connector_register: connector is NULL");
    if (reg->reserved0 != 0) return invalid("reg->reserved0 must be 0");
    if (!reg->glob) return invalid("sr_sink_connector_register: reg->glob is NULL");
    if (!reg->options_json) return invalid("sr_sink_connector_register: reg->options_json is NULL");
    if (!cr) return invalid("sr_sink_connector_register: reg->credentials is NULL");
    if (!provider) return too_small("credentials", cr->struct_size, sizeof(sr_sink_credentials));
    if (cr->reserved0 != 0) return invalid("credentials->reserved0 must be 0");
    if (!cr->get) return invalid("credentials->get is NULL");
    if (rr) {
      if (!rejected) {
        return too_small("rejected_rows", rr->struct_size, sizeof(sr_sink_rejected_rows));
      }
      if (rr->reserved0 != 0) return invalid("rejected_rows->reserved0 must be 0");
      if (!rr->on_row) return invalid("rejected_rows->on_row is NULL");
    }
    return as_connector(connector)->add_sink(reg->glob, reg->options_json, std::move(provider),
                                             std::move(rejected));
  });
}

SR_SINK_API void sr_sink_connector_free(sr_sink_connector* connector) {
  try {
    delete as_connector(connector);
  } catch (...) {
  }
}

SR_SINK_API int32_t sr_sink_open(sr_sink_connector* connector, const sr_sink_open_params* params,
                                 sr_sink** out, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!connector) return invalid("sr_sink_open: connector is NULL");
    if (!params) return invalid("sr_sink_open: params is NULL");
    if (!out) return invalid("sr_sink_open: out is NULL");
    // 1.0 hosts pass the struct without the 1.1 key-column fields.
    const size_t v1_0 = offsetof(sr_sink_open_params, n_key_columns);
    if (params->struct_size < v1_0) return too_small("params", params->struct_size, v1_0);
    const bool has_keys = params->struct_size >= sizeof(sr_sink_open_params);
    if (!params->table) return invalid("sr_sink_open: params->table is NULL");
    if (params->n_columns == 0 || !params->columns) {
      return invalid(std::string("sr_sink_open ") + params->table + ": no columns given");
    }
    if (!params->restore_token && params->restore_token_len) {
      return invalid("sr_sink_open: restore_token is NULL but restore_token_len is not 0");
    }
    srs::OpenParams p;
    p.table = params->table;
    for (uint32_t i = 0; i < params->n_columns; ++i) {
      if (!params->columns[i]) {
        return invalid("sr_sink_open " + p.table + ": columns[" + std::to_string(i) + "] is NULL");
      }
      p.columns.emplace_back(params->columns[i]);
    }
    if (params->instance_id) p.instance_id = params->instance_id;
    if (has_keys && params->reserved0 != 0) return invalid("sr_sink_open: params->reserved0 must be 0");
    if (has_keys && params->n_key_columns) {
      if (!params->key_columns) {
        return invalid("sr_sink_open " + p.table + ": n_key_columns is " +
                       std::to_string(params->n_key_columns) + " but key_columns is NULL");
      }
      for (uint32_t i = 0; i < params->n_key_columns; ++i) {
        if (!params->key_columns[i]) {
          return invalid("sr_sink_open " + p.table + ": key_columns[" + std::to_string(i) +
                         "] is NULL");
        }
        p.key_columns.emplace_back(params->key_columns[i]);
      }
    }
    if (params->restore_token) {
      p.restore_token.assign(reinterpret_cast<const char*>(params->restore_token),
                             params->restore_token_len);
    }
    srs::Result<srs::Sink*> sink = as_connector(connector)->open(p);
    if (!sink.ok()) return sink.status();
    *out = reinterpret_cast<sr_sink*>(sink.value());
    return Status::OK();
  });
}

SR_SINK_API int32_t sr_sink_write(sr_sink* sink, const sr_sink_batch* batch, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!sink) return invalid("sr_sink_write: sink is NULL");
    if (!batch) return invalid("sr_sink_write: batch is NULL");
    if (batch->struct_size < sizeof(sr_sink_batch)) {
      return too_small("batch", batch->struct_size, sizeof(sr_sink_batch));
    }
    if (batch->reserved0 != 0) return invalid("batch->reserved0 must be 0");
    return as_sink(sink)->write(*batch);
  });
}

namespace {
// Arrow's move semantics: whoever receives a struct releases it exactly once and marks it released.
void release_arrow(ArrowSchema* schema, ArrowArray* array) {
  if (schema && schema->release) {
    schema->release(schema);
    schema->release = nullptr;
  }
  if (array && array->release) {
    array->release(array);
    array->release = nullptr;
  }
}
}  // namespace

SR_SINK_API int32_t sr_sink_write_arrow(sr_sink* sink, ArrowSchema* schema, ArrowArray* array,
                                        const uint8_t* ops, sr_sink_error* err) {
  // The structs are the library's from here on, whatever the outcome (see sr_sink.h).
  const bool schema_released = schema && !schema->release;
  const bool array_released = array && !array->release;
  const int32_t rc = guarded(err, [&]() -> Status {
    if (!sink) return invalid("sr_sink_write_arrow: sink is NULL");
    if (!schema) return invalid("sr_sink_write_arrow: schema is NULL");
    if (!array) return invalid("sr_sink_write_arrow: array is NULL");
    if (schema_released) return invalid("sr_sink_write_arrow: schema is already released");
    if (array_released) return invalid("sr_sink_write_arrow: array is already released");
    return as_sink(sink)->write_arrow(*schema, *array, ops);
  });
  release_arrow(schema, array);
  return rc;
}

SR_SINK_API int32_t sr_sink_on_watermark(sr_sink* sink, int64_t watermark, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!sink) return invalid("sr_sink_on_watermark: sink is NULL");
    return as_sink(sink)->on_watermark(watermark);
  });
}

SR_SINK_API int32_t sr_sink_on_checkpoint(sr_sink* sink, int64_t checkpoint_id,
                                          sr_sink_token* token, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!token) return invalid("sr_sink_on_checkpoint: token is NULL");
    if (token->struct_size < sizeof(sr_sink_token)) {
      return too_small("token", token->struct_size, sizeof(sr_sink_token));
    }
    token->release = nullptr;  // "on error token->release is NULL"
    token->data = nullptr;
    token->len = 0;
    token->private_data = nullptr;
    if (!sink) return invalid("sr_sink_on_checkpoint: sink is NULL");
    srs::Result<std::string> bytes = as_sink(sink)->on_checkpoint(checkpoint_id);
    if (!bytes.ok()) return bytes.status();
    auto* owned = new std::string(std::move(bytes.value()));
    token->reserved0 = 0;
    token->data = reinterpret_cast<const uint8_t*>(owned->data());
    token->len = owned->size();
    token->private_data = owned;
    token->release = release_token;
    return Status::OK();
  });
}

SR_SINK_API int32_t sr_sink_commit(sr_sink* sink, int64_t checkpoint_id, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!sink) return invalid("sr_sink_commit: sink is NULL");
    return as_sink(sink)->commit(checkpoint_id);
  });
}

SR_SINK_API int32_t sr_sink_abort(sr_sink* sink, int64_t checkpoint_id, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!sink) return invalid("sr_sink_abort: sink is NULL");
    return as_sink(sink)->abort(checkpoint_id);
  });
}

SR_SINK_API void sr_sink_cancel(sr_sink* sink) {
  try {
    if (sink) as_sink(sink)->cancel();
  } catch (...) {
  }
}

SR_SINK_API int32_t sr_sink_close(sr_sink* sink, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!sink) return Status::OK();
    srs::Sink* s = as_sink(sink);
    Status st;
    try {
      st = s->close();
    } catch (...) {
      s->connector()->forget(s);
      delete s;  // freed either way, as the header promises
      throw;
    }
    s->connector()->forget(s);
    delete s;
    return st;
  });
}

SR_SINK_API int32_t sr_sink_get_stats(sr_sink* sink, sr_sink_stats* out, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!sink) return invalid("sr_sink_get_stats: sink is NULL");
    if (!out) return invalid("sr_sink_get_stats: out is NULL");
    if (out->struct_size < offsetof(sr_sink_stats, rows_written)) {
      return invalid("stats->struct_size " + std::to_string(out->struct_size) + " is too small");
    }
    sr_sink_stats full;
    std::memset(&full, 0, sizeof(full));
    as_sink(sink)->stats(&full);
    const size_t n = std::min<size_t>(out->struct_size, sizeof(full));
    const size_t skip = offsetof(sr_sink_stats, reserved0);  // keep the caller's struct_size
    std::memcpy(reinterpret_cast<char*>(out) + skip, reinterpret_cast<const char*>(&full) + skip,
                n - skip);
    return Status::OK();
  });
}

SR_SINK_API int32_t sr_sink_commit_token(sr_sink_connector* connector, const uint8_t* token,
                                         size_t token_len, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!connector) return invalid("sr_sink_commit_token: connector is NULL");
    if (!token) return invalid("sr_sink_commit_token: token is NULL");
    if (token_len == 0) return invalid("sr_sink_commit_token: token_len is 0");
    return as_connector(connector)->commit_token(
        std::string_view(reinterpret_cast<const char*>(token), token_len));
  });
}

SR_SINK_API int32_t sr_sink_token_inspect(const uint8_t* token, size_t token_len,
                                          sr_sink_token_info* out, sr_sink_error* err) {
  return guarded(err, [&]() -> Status {
    if (!token) return invalid("sr_sink_token_inspect: token is NULL");
    if (token_len == 0) return invalid("sr_sink_token_inspect: token_len is 0");
    if (!out) return invalid("sr_sink_token_inspect: out is NULL");
    if (out->struct_size < sizeof(sr_sink_token_info)) {
      return invalid("sr_sink_token_inspect: out->struct_size is " +
                     std::to_string(out->struct_size) + ", smaller than the " +
                     std::to_string(sizeof(sr_sink_token_info)) + " bytes of ABI 1.1");
    }
    srs::Result<srs::TokenInfo> info =
        srs::inspect_token(std::string_view(reinterpret_cast<const char*>(token), token_len));
    if (!info.ok()) return info.status();
    sr_sink_token_info full;
    std::memset(&full, 0, sizeof(full));
    full.execution_mode =
        info->on_watermark ? SR_SINK_MODE_ON_WATERMARK : SR_SINK_MODE_ON_CHECKPOINT;
    full.checkpoint_id = info->checkpoint_id;
    full.n_transactions = info->n_transactions;
    // Only the fields this library knows; the caller's struct_size stays (a later minor's
    // larger struct keeps its extra fields as the caller set them).
    const size_t skip = sizeof(full.struct_size);
    std::memcpy(reinterpret_cast<char*>(out) + skip, reinterpret_cast<const char*>(&full) + skip,
                sizeof(full) - skip);
    return Status::OK();
  });
}

SR_SINK_API int32_t sr_sink_get_vtable(uint32_t host_abi_version, sr_sink_vtable* out,
                                       size_t out_size) {
  if ((host_abi_version >> 16) != SR_SINK_ABI_VERSION_MAJOR) return SR_SINK_E_VERSION;
  if (!out) return SR_SINK_E_INVALID_ARGUMENT;
  // The 1.0 table ends where the first 1.1 slot begins.
  if (out_size < offsetof(sr_sink_vtable, connector_register)) return SR_SINK_E_INVALID_ARGUMENT;
  sr_sink_vtable v;
  std::memset(&v, 0, sizeof(v));
  v.struct_size = (uint32_t)sizeof(v);
  v.abi_version = SR_SINK_ABI_VERSION;
  v.abi_version_fn = sr_sink_abi_version;
  v.version_string = sr_sink_version_string;
  v.build_info = sr_sink_build_info;
  v.status_name = sr_sink_status_name;
  v.connector_new = sr_sink_connector_new;
  v.connector_add_sink = sr_sink_connector_add_sink;
  v.connector_free = sr_sink_connector_free;
  v.open = sr_sink_open;
  v.write = sr_sink_write;
  v.on_watermark = sr_sink_on_watermark;
  v.on_checkpoint = sr_sink_on_checkpoint;
  v.commit = sr_sink_commit;
  v.abort = sr_sink_abort;
  v.cancel = sr_sink_cancel;
  v.close = sr_sink_close;
  v.get_stats = sr_sink_get_stats;
  v.connector_register = sr_sink_connector_register;
  v.commit_token = sr_sink_commit_token;
  v.token_inspect = sr_sink_token_inspect;
  v.write_arrow = sr_sink_write_arrow;
  // A host built against an earlier minor gets the slots that fit; one built against a later
  // minor has a larger table, and the slots we do not have are NULL.
  const size_t n = std::min(out_size, sizeof(v));
  v.struct_size = (uint32_t)n;
  std::memset(out, 0, out_size);
  std::memcpy(out, &v, n);
  return SR_SINK_OK;
}

}  // extern "C"
