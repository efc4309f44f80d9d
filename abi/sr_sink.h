/*
 * sr_sink.h — the C ABI of libsr_sink, a StarRocks sink for stream-processing engines.
 *
 * This header is the manual. It needs only <stddef.h> and <stdint.h> and compiles warning-free as
 * C99, C11, C++11 and C++17.
 *
 * ---------------------------------------------------------------------------------------------
 * Versioning
 *   SR_SINK_ABI_VERSION_MAJOR is part of the SONAME (libsr_sink.so.1) and of the symbol version
 *   node (SR_SINK_1). A minor version only appends: new functions, new vtable slots at the end of
 *   sr_sink_vtable, new fields at the end of structs. Every struct that crosses the boundary in
 *   either direction starts with `uint32_t struct_size`, which the side that allocates it sets to
 *   sizeof() as it was compiled. The library reads only the fields that fit in the caller's
 *   struct_size and treats fields beyond it as zero; it writes only what fits.
 *
 * Errors
 *   Every fallible function returns an int32_t status (SR_SINK_OK or SR_SINK_E_*). Details go into
 *   an optional caller-provided sr_sink_error (may be NULL). There is no thread-local "last error"
 *   and no exception ever crosses the boundary (an unexpected one becomes SR_SINK_E_INTERNAL).
 *   Messages name the thing that is wrong and never contain a password.
 *
 * Ownership
 *   Everything passed in is borrowed for the duration of the call; the library copies what it keeps.
 *   Everything handed out is either static (strings such as sr_sink_status_name()) or carries its
 *   own release callback (sr_sink_token). Nobody frees memory allocated by the other side.
 *
 * Threading
 *   Functions on different handles are independent and may be called from any thread. Calls on one
 *   sr_sink must be serialized by the host (one at a time, from any thread), except
 *   sr_sink_cancel(), which may be called concurrently with any other call on that sink.
 *   sr_sink_connector_add_sink() must not race with sr_sink_open() on the same connector.
 *   Host callbacks (log, credentials, rejected rows) may be called from library threads,
 *   concurrently for different sinks; they must be thread-safe. After sr_sink_close() returns, the library makes no
 *   more callbacks for that sink; after sr_sink_connector_free() returns, none at all.
 * ---------------------------------------------------------------------------------------------
 */
#ifndef SR_SINK_H
#define SR_SINK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version block ------------------------------------------------------------------------ */

#define SR_SINK_ABI_VERSION_MAJOR 1
#define SR_SINK_ABI_VERSION_MINOR 2
/** The ABI version this header describes: major in the high 16 bits, minor in the low 16. */
#define SR_SINK_ABI_VERSION \
  ((uint32_t)(((uint32_t)SR_SINK_ABI_VERSION_MAJOR << 16) | (uint32_t)SR_SINK_ABI_VERSION_MINOR))

#if defined(_WIN32) && !defined(SR_SINK_STATIC)
#  define SR_SINK_API __declspec(dllimport)
#elif defined(__GNUC__)
#  define SR_SINK_API __attribute__((visibility("default")))
#else
#  define SR_SINK_API
#endif

/* ---- Status codes --------------------------------------------------------------------------- */

#define SR_SINK_OK                    0  /* success */
#define SR_SINK_E_INVALID_ARGUMENT    1  /* a NULL handle/pointer, bad struct_size, bad value */
#define SR_SINK_E_CONFIG              2  /* an options document is invalid; the message names the key */
#define SR_SINK_E_NO_ROUTE            3  /* no registered glob matches the table */
#define SR_SINK_E_SCHEMA              4  /* table missing, not a Primary Key table, column problems */
#define SR_SINK_E_DATA                5  /* a row is malformed, or StarRocks rejected rows of a load */
#define SR_SINK_E_AUTH                6  /* credentials refused, or the credentials callback failed */
#define SR_SINK_E_NETWORK             7  /* connection failed on every URL after all retries */
#define SR_SINK_E_TIMEOUT             8  /* a deadline passed (request, load, write backpressure) */
#define SR_SINK_E_LOAD                9  /* StarRocks refused a load (message is StarRocks' own) */
#define SR_SINK_E_TXN                10  /* a transaction operation failed (begin/prepare/commit/rollback) */
#define SR_SINK_E_STATE              11  /* the call is not valid in the sink's current state */
#define SR_SINK_E_NOT_SUPPORTED      12  /* the operation is not supported in this mode or version */
#define SR_SINK_E_RETRY_LATER        13  /* memory budget full and the write deadline is zero */
#define SR_SINK_E_CANCELLED          14  /* sr_sink_cancel() interrupted the call */
#define SR_SINK_E_RECOVERY           15  /* recovery found data it cannot make exactly-once */
#define SR_SINK_E_VERSION            16  /* ABI major version mismatch */
#define SR_SINK_E_NO_MEMORY          17  /* allocation failed */
#define SR_SINK_E_INTERNAL           18  /* a bug: an unexpected exception or invariant violation */

/* sr_sink_error.flags */
#define SR_SINK_ERROR_F_RETRYABLE  0x1u /* the same call may succeed if repeated later */
#define SR_SINK_ERROR_F_FATAL      0x2u /* the sink is unusable: close it (and restore, in on_checkpoint) */
#define SR_SINK_ERROR_F_DATA       0x4u /* caused by the data itself; retrying the same rows fails again */

#define SR_SINK_ERROR_MESSAGE_MAX 1024
#define SR_SINK_ERROR_LABEL_MAX    136

/**
 * Error details, filled by any fallible call when the caller passes a non-NULL pointer.
 * The caller owns the struct and sets struct_size = sizeof(sr_sink_error) before the call.
 * On SR_SINK_OK the struct is reset (code 0, empty strings).
 */
typedef struct sr_sink_error {
  uint32_t struct_size;
  int32_t code;        /* the status the call returned */
  uint32_t flags;      /* SR_SINK_ERROR_F_* */
  int32_t http_status; /* last HTTP status involved, 0 if none */
  char label[SR_SINK_ERROR_LABEL_MAX];     /* StarRocks label involved, "" if none; NUL-terminated */
  char message[SR_SINK_ERROR_MESSAGE_MAX]; /* human-readable, NUL-terminated, truncated to fit */
} sr_sink_error;

/* ---- Opaque handles ------------------------------------------------------------------------- */

typedef struct sr_sink_connector sr_sink_connector;
typedef struct sr_sink sr_sink;

/* ---- Host callbacks ------------------------------------------------------------------------- */

#define SR_SINK_LOG_ERROR 1
#define SR_SINK_LOG_WARN  2
#define SR_SINK_LOG_INFO  3
#define SR_SINK_LOG_DEBUG 4

/**
 * Log callback. `message` is NUL-terminated, valid only during the call, one line without a
 * trailing newline, and never contains a secret. Called from the calling thread or from library
 * I/O threads, possibly concurrently: it must be thread-safe and must not call back into the
 * library.
 */
typedef void (*sr_sink_host_log_fn)(void *user_data, int32_t level, const char *message);

/** What the host gives the connector. Borrowed for sr_sink_connector_new(); copied. */
typedef struct sr_sink_host {
  uint32_t struct_size;
  int32_t log_level;         /* highest level delivered (SR_SINK_LOG_*); 0 = SR_SINK_LOG_INFO */
  sr_sink_host_log_fn log;   /* NULL: no logging */
  void *log_user_data;       /* passed to log; must stay valid until sr_sink_connector_free returns */
} sr_sink_host;

#define SR_SINK_CREDENTIAL_USER_MAX     256
#define SR_SINK_CREDENTIAL_PASSWORD_MAX 1024

/**
 * Credentials callback. Called before every HTTP request the sink (or sr_sink_commit_token)
 * makes (so secrets can rotate), and again with `after_auth_failure` = 1 once after StarRocks
 * answered 401 for the previous credentials. Fill `user` and `password` as NUL-terminated strings into the library-owned buffers
 * of SR_SINK_CREDENTIAL_USER_MAX and SR_SINK_CREDENTIAL_PASSWORD_MAX bytes (the library wipes the
 * password buffer after use). `table` is "db.table" of the sink making the request.
 * Return 0 on success, non-zero to fail the request with SR_SINK_E_AUTH.
 * Thread-safety: may be called from library threads and from threads calling
 * sr_sink_commit_token, concurrently for different sinks.
 */
typedef int32_t (*sr_sink_host_credentials_fn)(void *user_data, const char *table,
                                               int32_t after_auth_failure, char *user,
                                               char *password);

/** A credentials provider. Borrowed for sr_sink_connector_add_sink(); the struct is copied. */
typedef struct sr_sink_credentials {
  uint32_t struct_size;
  uint32_t reserved0;                /* must be 0 */
  sr_sink_host_credentials_fn get;   /* required */
  void *user_data;                   /* passed to get and release */
  /** Optional. Called once, when the library no longer needs user_data (in
   *  sr_sink_connector_free, or when add_sink fails). */
  void (*release)(void *user_data);
} sr_sink_credentials;

/* ---- Data ------------------------------------------------------------------------------------ */

#define SR_SINK_OP_UPSERT 0
#define SR_SINK_OP_DELETE 1

/** A borrowed byte range. */
typedef struct sr_sink_slice {
  const char *data;
  size_t len;
} sr_sink_slice;

/**
 * A batch of rows for sr_sink_write(). Each row is one JSON object. Its top-level keys must be
 * columns given to sr_sink_open(), each at most once; every column of the table's primary key
 * must be there and not null (upserts and deletes alike: a delete needs only the key columns).
 * Other columns may be left out (see the option partial_update). Keys are compared decoded
 * ("i\u0064" is `id`) and exactly (case-sensitive). A key named "__op" is not allowed.
 * ops[i] is SR_SINK_OP_UPSERT or SR_SINK_OP_DELETE; ops == NULL means all upserts.
 */
typedef struct sr_sink_batch {
  uint32_t struct_size;
  uint32_t reserved0;          /* must be 0 */
  size_t n_rows;
  const sr_sink_slice *rows;   /* n_rows slices; not NUL-terminated */
  const uint8_t *ops;          /* n_rows ops, or NULL */
} sr_sink_batch;

/* ---- Arrow C Data Interface (since 1.2) ------------------------------------------------------- */

/* The structs of the Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html),
 * declared exactly as the Arrow specification does, under its standard guard so that a host that
 * already includes arrow/c/abi.h (or nanoarrow.h) gets one definition. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  /* Array type description */
  const char *format;
  const char *name;
  const char *metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema **children;
  struct ArrowSchema *dictionary;

  /* Release callback */
  void (*release)(struct ArrowSchema *);
  /* Opaque producer-specific data */
  void *private_data;
};

struct ArrowArray {
  /* Array data description */
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void **buffers;
  struct ArrowArray **children;
  struct ArrowArray *dictionary;

  /* Release callback */
  void (*release)(struct ArrowArray *);
  /* Opaque producer-specific data */
  void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

/** Parameters of sr_sink_open(). Borrowed for the call. */
typedef struct sr_sink_open_params {
  uint32_t struct_size;
  uint32_t n_columns;
  const char *table;                 /* "db.table"; required */
  const char *const *columns;        /* the n_columns columns the host will write; required */
  /** A stable name of this writer across restarts ("job1/op3/subtask0"). Required in
   *  on_checkpoint mode: it makes the transaction labels deterministic, and two writers of one
   *  table must use different ids. Optional in on_watermark mode. */
  const char *instance_id;
  /** on_checkpoint: the token of the host's last durable checkpoint (from sr_sink_on_checkpoint)
   *  or NULL/0 for a fresh start. open() commits its transactions and rolls back later ones. */
  const uint8_t *restore_token;
  size_t restore_token_len;
  /* Since 1.1 (a 1.0 host's smaller struct reads these as 0/NULL). */
  /** The host's own primary key for the table (a SQL engine's declared key), or 0/NULL. When
   *  given, open refuses with SR_SINK_E_SCHEMA a table whose primary key is not exactly these
   *  columns (in any order): an engine whose key differs from StarRocks' would merge or split
   *  rows differently from what it computed. */
  uint32_t n_key_columns;
  uint32_t reserved0;                /* must be 0 */
  const char *const *key_columns;
} sr_sink_open_params;

/**
 * A commit token handed out by sr_sink_on_checkpoint(): opaque, versioned JSON bytes that the host
 * stores with its checkpoint and passes back to sr_sink_open() after a restart.
 * Ownership (Arrow style): the receiver owns it and must call token->release(token) exactly once;
 * release sets release to NULL. The bytes stay valid until then, even after sr_sink_close().
 */
typedef struct sr_sink_token {
  uint32_t struct_size;      /* set by the caller before passing it out-parameter */
  uint32_t reserved0;
  const uint8_t *data;
  size_t len;
  void (*release)(struct sr_sink_token *token);
  void *private_data;        /* the library's */
} sr_sink_token;

/** Per-sink counters (monotonic unless noted). Caller-owned; set struct_size. */
typedef struct sr_sink_stats {
  uint32_t struct_size;
  uint32_t reserved0;
  uint64_t rows_written;      /* rows accepted by sr_sink_write */
  uint64_t rows_deleted;      /* of which deletes */
  uint64_t bytes_written;     /* encoded body bytes produced */
  uint64_t rows_loaded;       /* rows StarRocks reported loaded (visible or prepared) */
  uint64_t rows_filtered;     /* rows StarRocks reported filtered */
  uint64_t bytes_sent;        /* body bytes sent, retries included */
  uint64_t loads;             /* successful load requests */
  uint64_t load_failures;     /* failed load attempts */
  uint64_t retries;           /* requests repeated */
  uint64_t txns_begun;
  uint64_t txns_prepared;
  uint64_t txns_committed;
  uint64_t txns_aborted;
  uint64_t buffered_bytes;    /* gauge: bytes held in memory now */
  uint64_t last_load_ms;      /* gauge: client-side duration of the last load */
  uint64_t server_load_ms;    /* sum of StarRocks' LoadTimeMs */
  /* Since 1.1. */
  uint64_t rows_rejected;     /* rejected rows fetched from StarRocks' error logs (ErrorURL) and
                                 reported (to the rejected-rows callback, if one is registered) */
  /* Since 1.2. */
  uint64_t throttle_episodes; /* episodes of StarRocks pushing back ("too many versions", running-
                                 transaction limit, 429/503) that the sink waited out */
  uint64_t throttle_wait_ms;  /* milliseconds spent backing off in those episodes */
  uint64_t fe_failovers;      /* requests moved to another FE of http_url after a failure */
} sr_sink_stats;

/* ---- Rejected rows (since 1.1) ----------------------------------------------------------------- */

/**
 * One row StarRocks rejected (filtered), as its error log (the load's ErrorURL) reports it.
 * Every pointer is valid only during the callback; copy what you keep.
 */
typedef struct sr_sink_rejected_row {
  uint32_t struct_size;  /* set by the library: sizeof as it was built; read only what fits */
  uint32_t reserved0;
  const char *table;     /* "db.table", NUL-terminated */
  const char *label;     /* the label of the load or transaction that reported it, NUL-terminated */
  const char *row;       /* the row text as StarRocks reports it (not NUL-terminated; may be cut
                            by StarRocks); row_len bytes, 0 when StarRocks reported none */
  size_t row_len;
  const char *reason;    /* StarRocks' reason for this row, NUL-terminated ("" if none) */
} sr_sink_rejected_row;

/**
 * Rejected-rows callback: called once for every rejected row that a load or transaction of the
 * sink reports (rows StarRocks filtered under `max_filter_ratio`, and the rows of a load that
 * failed with "too many filtered rows"), so that a host can route them to a dead-letter queue.
 * Called before the call that completes the load returns (sr_sink_write, sr_sink_on_watermark,
 * sr_sink_on_checkpoint), from the calling thread or a library I/O thread, possibly concurrently
 * for different sinks: it must be thread-safe and must not call back into the library.
 * Return 0 when the row was taken; non-zero fails the load's outcome with SR_SINK_E_DATA (the host
 * then replays from its last checkpoint, and the rows are reported again), so a row is never lost
 * between StarRocks and the host's dead-letter queue. An error log that cannot be read also fails
 * the outcome while a callback is registered. The callback gets the rows StarRocks' error log
 * lists; a reply that reports filtered rows without any error log is logged at WARN.
 */
typedef int32_t (*sr_sink_host_rejected_row_fn)(void *user_data, const sr_sink_rejected_row *row);

/** A rejected-rows consumer. Borrowed for sr_sink_connector_register(); the struct is copied. */
typedef struct sr_sink_rejected_rows {
  uint32_t struct_size;
  uint32_t reserved0;                   /* must be 0 */
  sr_sink_host_rejected_row_fn on_row;  /* required when the struct is given */
  void *user_data;                      /* passed to on_row and release */
  /** Optional. Called once, when the library no longer needs user_data (in
   *  sr_sink_connector_free, or when sr_sink_connector_register fails). */
  void (*release)(void *user_data);
} sr_sink_rejected_rows;

/** Everything sr_sink_connector_register() registers. Borrowed for the call; copied. Since 1.1. */
typedef struct sr_sink_registration {
  uint32_t struct_size;
  uint32_t reserved0;                          /* must be 0 */
  const char *glob;                            /* required; as for sr_sink_connector_add_sink */
  const char *options_json;                    /* required; as for sr_sink_connector_add_sink */
  const sr_sink_credentials *credentials;      /* required */
  const sr_sink_rejected_rows *rejected_rows;  /* optional (NULL: rejected rows are only counted
                                                  and logged) */
} sr_sink_registration;

/** What sr_sink_token_inspect() reports about a commit token. Caller-owned; set struct_size. */
typedef struct sr_sink_token_info {
  uint32_t struct_size;
  int32_t execution_mode;   /* SR_SINK_MODE_ON_CHECKPOINT or SR_SINK_MODE_ON_WATERMARK */
  int64_t checkpoint_id;    /* the checkpoint the token was made for */
  uint32_t n_transactions;  /* prepared transactions it names; 0: committing it does nothing */
  uint32_t reserved0;
} sr_sink_token_info;

#define SR_SINK_MODE_ON_CHECKPOINT 0
#define SR_SINK_MODE_ON_WATERMARK  1

/* ---- Functions ------------------------------------------------------------------------------ */

/** The ABI version of the loaded library (SR_SINK_ABI_VERSION as it was built).
 *  Thread-safety: any thread. Since 1.0. */
SR_SINK_API uint32_t sr_sink_abi_version(void);

/** Library version ("1.0.0"). Static string. Thread-safety: any thread. Since 1.0. */
SR_SINK_API const char *sr_sink_version_string(void);

/** Build information (compiler, build type, libcurl version). Static string. Since 1.0. */
SR_SINK_API const char *sr_sink_build_info(void);

/** The name of a status code ("SR_SINK_E_CONFIG"); "SR_SINK_E_UNKNOWN" for unknown codes.
 *  Static string. Thread-safety: any thread. Since 1.0. */
SR_SINK_API const char *sr_sink_status_name(int32_t status);

/**
 * Create a connector: the registry of sinks, with one HTTP connection pool (connections, DNS and
 * TLS sessions shared by all its sinks); each registration has its own memory budget.
 * in:  host (may be NULL: no logging).  out: *out (set only on success).
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT (out NULL, bad struct_size), SR_SINK_E_NO_MEMORY.
 * Ownership: *out belongs to the caller; free it with sr_sink_connector_free.
 * Thread-safety: any thread. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_connector_new(const sr_sink_host *host, sr_sink_connector **out,
                                          sr_sink_error *err);

/**
 * Register a sink: tables whose "db.table" matches `glob` (first registered match wins; `*`, `?`
 * and `[...]` classes, `[!...]` negation; case-sensitive) are written with `options_json` and
 * `credentials`.
 * options_json: a JSON object. Keys (unknown keys are rejected naming the key):
 *   http_url            string or array of strings: FE URLs. Required. The first hop of a request
 *                       moves to the next FE when the connection fails, the FE answers "current fe
 *                       is not master" or 5xx, or it does not answer a load's headers within
 *                       request_timeout_ms (since 1.2); an FE that failed is skipped for 30 s by
 *                       every sink of the connector (stats fe_failovers).
 *   execution_mode      "on_checkpoint" (default) | "on_watermark"
 *   label_prefix        [-_A-Za-z0-9]{1,32}, default "sr_sink"
 *   batch_max_bytes     bytes at which data is sent before the next watermark (default 94371840 = 90 MiB)
 *   batch_max_rows      rows at which data is sent before the next watermark (default 500000)
 *   memory_budget_bytes shared by all sinks opened through this registration (default 268435456).
 *                       Rows are budgeted uncompressed; with `compression` each sink also holds
 *                       about 3.5 MiB outside the budget (a 1 MiB input and a 1 MiB output buffer
 *                       plus the compressor: lz4_frame ~1.1 MiB, gzip ~0.3 MiB, zstd level 1
 *                       ~1.3 MiB, level 3 ~3.5 MiB, level 9 ~17 MiB, level 19 ~70 MiB)
 *   write_timeout_ms    how long sr_sink_write blocks on a full budget; 0 → SR_SINK_E_RETRY_LATER (default 60000)
 *   connect_timeout_ms  (default 10000)   request_timeout_ms (non-load requests, default 30000)
 *   load_timeout_s      StarRocks `timeout` header of loads and transactions (default 600)
 *   max_retries         retries of a retryable failure (default 3); since 1.2 StarRocks' push-back
 *                       ("too many versions", the running-transaction limit, HTTP 429/503) is
 *                       waited out without spending them (stats throttle_episodes/throttle_wait_ms)
 *   retry_backoff_ms    first backoff, doubled each retry, jittered to [1/2, 1] of it (default 500)
 *   retry_timeout_ms    (since 1.2) the longest one operation may keep retrying, push-back waits
 *                       included; past it SR_SINK_E_TIMEOUT naming the push-back and the StarRocks
 *                       setting (default 600000, 0 = no deadline)
 *   buffer_flush_interval_ms  (since 1.2) rows never wait longer than this: in on_watermark mode a
 *                       load ends and becomes visible, in on_checkpoint mode they stream into the
 *                       open transaction (visible at commit). An idle sink sends nothing.
 *                       0 = off (default).
 *   be_address_map      (since 1.2) object "host[:port]" -> "host[:port]": BE addresses StarRocks
 *                       advertises (307 targets, ErrorURL) mapped to reachable ones (Kubernetes,
 *                       Docker, NAT); a host-only key maps every port and keeps it
 *   tls_ca_file         CA bundle path;  tls_verify  boolean (default true)
 *   tls_cert_file, tls_key_file  (since 1.2) client certificate and key (PEM) for mutual TLS;
 *                       both or neither
 *   properties          object of strings: passed as Stream Load headers (merge_condition,
 *                       strict_mode, max_filter_ratio, ...); not the keys the options below own
 *                       (partial_update*, merge_commit*, compression, CSV layout keys)
 *   format              "json" (default) | "csv" (since 1.2): body format of sr_sink_write and
 *                       sr_sink_write_arrow. CSV separates fields by 0x1F and rows by 0x1E with no
 *                       quoting (StarRocks' transaction Stream Load ignores enclose/escape), so a
 *                       string holding byte 0x1E/0x1F, or exactly "\N" (StarRocks reads it as
 *                       NULL), is SR_SINK_E_DATA naming the column; VARBINARY fields are base64.
 *                       column_separator, row_delimiter, enclose, escape, skip_header and
 *                       trim_space cannot be set through `properties`.
 *   timezone            "UTC" (default) or "+HH:MM"/"-HH:MM" (since 1.2): Arrow timestamps with a
 *                       time zone are written as DATETIME wall time in it (also sent as the
 *                       Stream Load `timezone` header)
 *   merge_commit        boolean (default false; since 1.2), on_watermark only, StarRocks >= 3.4:
 *                       loads carry StarRocks' merge-commit headers, so concurrent small loads of
 *                       a table share one transaction; with merge_commit_interval_ms (required),
 *                       merge_commit_parallel (default 3) and merge_commit_async (default false:
 *                       the sink polls the merged label until VISIBLE). At-least-once
 *                       (docs/merge-commit.md).
 *   compression         "none" (default) | "lz4_frame" | "zstd" | "gzip": each load body is sent as
 *                       one compressed frame with the Stream Load header `compression` (every load
 *                       of a transaction carries the same one). Needs StarRocks >= 3.2.7; older
 *                       servers fail the load with a JSON parse error. bytes_written stays the
 *                       uncompressed size, bytes_sent counts compressed bytes. Not settable
 *                       through `properties`.
 *   compression_level   lz4_frame 0..12 (default 0), zstd 1..19 (default 1), gzip 1..9 (default 1);
 *                       only with `compression`. The defaults are the fast levels.
 *   partial_update      "false" (default) | "row" | "column" (since 1.1): upserts update only the
 *                       opened columns (StarRocks `partial_update: true` and `partial_update_mode`).
 *                       Without it an upsert sets every column the sink was not opened with to NULL
 *                       or its default (StarRocks' full-row upsert; open logs one WARN naming those
 *                       columns). `properties.partial_update`/`partial_update_mode` are refused:
 *                       use this option.
 *   log_row_values      boolean (default false; since 1.1): whether log lines and error messages may
 *                       contain row values (rejected rows as StarRocks reports them). By default
 *                       they name counts, labels and reasons only; the rows go to the
 *                       rejected-rows callback.
 *   recovery_probe_window  on_checkpoint (since 1.1): how many consecutive unused label ids past
 *                       the last used one recovery probes when StarRocks cannot list the
 *                       instance's labels (information_schema.stream_loads); 1..100000, default
 *                       100 (docs/exactly-once.md).
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT (NULL connector/glob/options/credentials.get),
 *   SR_SINK_E_CONFIG (message names the offending key and why).
 * Ownership: all arguments are copied; credentials->release is called when the connector is freed
 *   (or immediately if this call fails).
 * Thread-safety: not concurrently with sr_sink_open or another add_sink on the same connector.
 * Since 1.0.
 */
SR_SINK_API int32_t sr_sink_connector_add_sink(sr_sink_connector *connector, const char *glob,
                                               const char *options_json,
                                               const sr_sink_credentials *credentials,
                                               sr_sink_error *err);

/**
 * Register a sink with everything sr_sink_connector_add_sink() takes plus the optional
 * rejected-rows callback. Same matching, options and errors as sr_sink_connector_add_sink(), plus
 * SR_SINK_E_INVALID_ARGUMENT for a NULL reg, a bad struct_size, a non-zero reserved0 or a
 * rejected_rows without on_row.
 * Ownership: everything is copied; credentials->release and rejected_rows->release are called when
 *   the connector is freed (or immediately if this call fails).
 * Thread-safety: as sr_sink_connector_add_sink. Since 1.1.
 */
SR_SINK_API int32_t sr_sink_connector_register(sr_sink_connector *connector,
                                               const sr_sink_registration *reg,
                                               sr_sink_error *err);

/**
 * Free a connector. All its sinks must have been closed first (a sink still open is closed here,
 * rolling back what it has not prepared). NULL is a no-op.
 * Thread-safety: no other call on the connector or its sinks may be running. Since 1.0.
 */
SR_SINK_API void sr_sink_connector_free(sr_sink_connector *connector);

/**
 * Open a sink for one write relation (INSERT INTO db.table). Discovers the table over HTTP and
 * checks that it exists, is a Primary Key table, that every key column is among params->columns,
 * every column exists, and (since 1.1, when params->key_columns is given) that its primary key is
 * exactly those columns. Logs one WARN naming the table's columns that are not opened (every upsert
 * resets them) unless the option partial_update is set. In on_checkpoint mode with a restore token, recovers (see README).
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT, SR_SINK_E_NO_ROUTE, SR_SINK_E_SCHEMA,
 *   SR_SINK_E_AUTH, SR_SINK_E_NETWORK, SR_SINK_E_TIMEOUT, SR_SINK_E_RECOVERY, SR_SINK_E_TXN.
 * Ownership: params is borrowed; *out belongs to the caller until sr_sink_close.
 * Thread-safety: see add_sink. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_open(sr_sink_connector *connector, const sr_sink_open_params *params,
                                 sr_sink **out, sr_sink_error *err);

/**
 * Write a batch of rows. Every row is checked as it is copied in: a row that is not one JSON
 * object, has a key that is not an opened column ("row 0 has key `nmae`, which is not a column
 * opened for this sink (columns: id, name, amount)"), has a key more than once, lacks a key
 * column or has it null ("row 3: key column `id` is missing" / "... is null"), or whose op is
 * neither upsert nor delete, fails the call with SR_SINK_E_DATA (flag SR_SINK_ERROR_F_DATA; the
 * sink stays usable). The message names the table, the row's index and the key, and nothing of
 * the batch is taken (ops are checked before the call waits for memory, each row as it is copied
 * in). Rows are encoded into the current load; data may be sent
 * before the next watermark/checkpoint when the batch thresholds are reached. Blocks up to
 * write_timeout_ms while the memory budget is full.
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT, SR_SINK_E_DATA, SR_SINK_E_RETRY_LATER,
 *   SR_SINK_E_TIMEOUT, SR_SINK_E_CANCELLED, SR_SINK_E_STATE (sink failed earlier), or the error of
 *   a load that failed in the background (SR_SINK_E_LOAD, SR_SINK_E_NETWORK, ...).
 * Ownership: batch is borrowed; its bytes are copied before return.
 * Thread-safety: serialized per sink. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_write(sr_sink *sink, const sr_sink_batch *batch, sr_sink_error *err);

/**
 * Write one Arrow record batch (since 1.2): the columnar twin of sr_sink_write, for hosts that hold
 * data as Arrow (arrow-rs, arrow-go, pyarrow, Polars, DuckDB, DataFusion) through the Arrow C Data
 * Interface. `schema` describes a struct ("+s") whose fields are named like the columns opened for
 * the sink: any subset (a column not present is not sent, as with a JSON row that omits it, and
 * must not be a key column) and any order. Row i's op comes from `ops[i]` when ops is not NULL
 * (SR_SINK_OP_UPSERT / SR_SINK_OP_DELETE, array->length entries), otherwise from a field named
 * `__op` (int8/uint8 0 = upsert, 1 = delete; bool true = delete; utf8 "upsert"/"delete"), otherwise
 * every row is an upsert. Giving both ops and an `__op` field is SR_SINK_E_INVALID_ARGUMENT.
 *
 * Types (exact, no float round trips): int8..int64, uint8..uint64, float16/32/64 (NaN and +-Inf
 * are SR_SINK_E_DATA naming column and row), decimal128/256 (exact text), bool, date32/date64,
 * timestamp of every unit with or without a time zone (written as DATETIME text in the sink's
 * `timezone` option), time32/time64, utf8/large_utf8/utf8_view (invalid UTF-8 is SR_SINK_E_DATA),
 * binary/large_binary/fixed_size_binary, dictionary-encoded values of these, and list/large_list/
 * fixed_size_list/struct/map as JSON text (for ARRAY/STRUCT/MAP/JSON columns). Nulls come from the
 * validity bitmaps; a null in a key column is SR_SINK_E_DATA. Any other type is
 * SR_SINK_E_INVALID_ARGUMENT naming the field and its format string. The array's offset (slices)
 * is honoured at every level.
 *
 * All or nothing, like sr_sink_write: a batch with a bad value, a field that is not an opened
 * column, a duplicate field or a missing key column fails the call (SR_SINK_E_DATA or
 * SR_SINK_E_INVALID_ARGUMENT, the message names the column and the row index) and nothing of it
 * is taken; the sink stays usable. The rows are encoded in the sink's wire `format` (json or csv)
 * and then travel exactly as rows of sr_sink_write: same batching, modes, retries and stats.
 *
 * Ownership (Arrow's move semantics): the library takes ownership of *schema and *array on every
 * call that reaches it, whatever it returns. Before returning it has called schema->release and
 * array->release exactly once each (when they are not NULL) and set both release pointers to
 * NULL; the host never releases them itself. The data is copied during the call. A struct whose
 * release is already NULL (released, or moved away) is SR_SINK_E_INVALID_ARGUMENT. When schema or
 * array is NULL the call returns SR_SINK_E_INVALID_ARGUMENT and releases the other one.
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT, SR_SINK_E_DATA, and what sr_sink_write returns.
 * Thread-safety: serialized per sink, like sr_sink_write. Since 1.2.
 */
SR_SINK_API int32_t sr_sink_write_arrow(sr_sink *sink, struct ArrowSchema *schema,
                                        struct ArrowArray *array, const uint8_t *ops,
                                        sr_sink_error *err);

/**
 * on_watermark mode: finish the current load(s) and return once StarRocks reports the data
 * loaded (visible). With nothing written since the last call, returns OK at once.
 * on_checkpoint mode: a no-op that returns SR_SINK_OK.
 * Returns SR_SINK_OK or an error of the load (SR_SINK_E_LOAD, SR_SINK_E_DATA, SR_SINK_E_NETWORK,
 *   SR_SINK_E_AUTH, SR_SINK_E_TIMEOUT, SR_SINK_E_CANCELLED).
 * Thread-safety: serialized per sink. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_on_watermark(sr_sink *sink, int64_t watermark, sr_sink_error *err);

/**
 * The host takes checkpoint `checkpoint_id` (strictly increasing per sink).
 * on_checkpoint mode: finish open loads and prepare the epoch's transaction; *token receives the
 * commit token the host must store with the checkpoint before calling sr_sink_commit.
 * on_watermark mode: flushes like a watermark; *token receives a token naming no transaction.
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT (token NULL, id not increasing), SR_SINK_E_TXN,
 *   SR_SINK_E_LOAD, SR_SINK_E_DATA, SR_SINK_E_NETWORK, SR_SINK_E_CANCELLED.
 * Ownership: on success *token is the caller's (call token->release); on error token->release is NULL.
 * Thread-safety: serialized per sink. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_on_checkpoint(sr_sink *sink, int64_t checkpoint_id,
                                          sr_sink_token *token, sr_sink_error *err);

/**
 * The host's checkpoint `checkpoint_id` is durable: commit every transaction prepared for
 * checkpoints <= checkpoint_id, in order. Idempotent. on_watermark mode: OK, nothing to do.
 * Returns SR_SINK_OK, SR_SINK_E_TXN, SR_SINK_E_RECOVERY (a prepared transaction expired: the
 *   message names the checkpoint whose data is not in StarRocks), SR_SINK_E_NETWORK, SR_SINK_E_CANCELLED.
 * Thread-safety: serialized per sink. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_commit(sr_sink *sink, int64_t checkpoint_id, sr_sink_error *err);

/**
 * The host's checkpoint `checkpoint_id` failed: roll back what was prepared for it.
 * The rows of that epoch are then in no transaction, so the sink cannot go on: after abort (OK or
 * not) the sink is failed, and every later write, on_watermark, on_checkpoint and commit returns
 * SR_SINK_E_STATE saying that checkpoint `checkpoint_id` was aborted. The host must close the sink
 * and reopen it with the token of its last durable checkpoint (and replay from there), in both
 * modes (since 1.1; in 1.0 the sink stayed usable and the aborted epoch's rows were lost).
 * Returns SR_SINK_OK, SR_SINK_E_TXN, SR_SINK_E_NETWORK, SR_SINK_E_STATE (failed earlier).
 * Thread-safety: serialized per sink. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_abort(sr_sink *sink, int64_t checkpoint_id, sr_sink_error *err);

/**
 * Interrupt whatever the sink is doing: a blocked write, a load or a retry backoff return
 * SR_SINK_E_CANCELLED soon after. The sink is then failed (only close is useful).
 * Thread-safety: may be called from any thread, concurrently with any call on the sink except
 * sr_sink_close. NULL is a no-op. Since 1.0.
 */
SR_SINK_API void sr_sink_cancel(sr_sink *sink);

/**
 * Close the sink and free it. Data written since the last watermark (on_watermark) or checkpoint
 * (on_checkpoint) is NOT loaded: the open load is abandoned or its transaction rolled back, and a
 * WARN log line gives the number of rows not loaded. The host replays them from its last
 * checkpoint; to load them instead, call on_watermark/on_checkpoint (+ commit) before close.
 * Prepared transactions are left for recovery. Joins every library thread of the sink.
 * Returns SR_SINK_OK or the error of the rollback (the sink is freed either way). NULL → OK.
 * Thread-safety: serialized per sink; the handle is invalid after the call. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_close(sr_sink *sink, sr_sink_error *err);

/**
 * Copy the sink's counters into *out (up to out->struct_size).
 * Returns SR_SINK_OK or SR_SINK_E_INVALID_ARGUMENT.
 * Thread-safety: may be called concurrently with other calls on the sink. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_get_stats(sr_sink *sink, sr_sink_stats *out, sr_sink_error *err);

/**
 * Commit every transaction a commit token names, with no open sink: for a committer that runs
 * apart from the writer (Flink hands restored committables to its committer before any writer
 * exists). The same as sr_sink_commit(checkpoint_id of the token) on the sink that made it:
 * idempotent (a transaction already COMMITTED/VISIBLE is OK; "publish timeout" and unclear replies
 * are settled with get_load_state); a transaction that expired or that StarRocks does not know is
 * SR_SINK_E_RECOVERY naming the checkpoint whose data is not in StarRocks. A token of
 * on_watermark mode, or one naming no transaction, is OK at once. Uses the registration (options,
 * credentials) that matches the table named in the token.
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT (NULL connector or token, token_len 0),
 *   SR_SINK_E_RECOVERY (token malformed, or data not committable as above), SR_SINK_E_NO_ROUTE,
 *   SR_SINK_E_TXN, SR_SINK_E_AUTH, SR_SINK_E_NETWORK, SR_SINK_E_TIMEOUT.
 * Ownership: token is borrowed for the call.
 * Thread-safety: any thread; concurrently with sinks of the same table (their writes, checkpoints
 *   and commits) and with other sr_sink_commit_token calls, also for the same token; not
 *   concurrently with add_sink/register on the connector. Since 1.1.
 */
SR_SINK_API int32_t sr_sink_commit_token(sr_sink_connector *connector, const uint8_t *token,
                                         size_t token_len, sr_sink_error *err);

/**
 * Decode a commit token without acting on it: its mode, checkpoint id and how many transactions
 * it names, so a host can order or skip tokens without parsing them (their format is the
 * library's).
 * Returns SR_SINK_OK, SR_SINK_E_INVALID_ARGUMENT (NULL token/out, token_len 0, bad struct_size),
 *   SR_SINK_E_RECOVERY (not a token this library can read; the message says why).
 * Ownership: token borrowed; *out is the caller's (filled up to out->struct_size).
 * Thread-safety: any thread; needs no connector. Since 1.1.
 */
SR_SINK_API int32_t sr_sink_token_inspect(const uint8_t *token, size_t token_len,
                                          sr_sink_token_info *out, sr_sink_error *err);

/* ---- Function table for dlopen hosts -------------------------------------------------------- */

/** Every function above, in a table. Slots are appended in minor versions, never reordered. */
typedef struct sr_sink_vtable {
  uint32_t struct_size;  /* bytes the library filled (min of the library's and the host's size) */
  uint32_t abi_version;  /* SR_SINK_ABI_VERSION of the library */
  uint32_t (*abi_version_fn)(void);
  const char *(*version_string)(void);
  const char *(*build_info)(void);
  const char *(*status_name)(int32_t status);
  int32_t (*connector_new)(const sr_sink_host *host, sr_sink_connector **out, sr_sink_error *err);
  int32_t (*connector_add_sink)(sr_sink_connector *connector, const char *glob,
                                const char *options_json, const sr_sink_credentials *credentials,
                                sr_sink_error *err);
  void (*connector_free)(sr_sink_connector *connector);
  int32_t (*open)(sr_sink_connector *connector, const sr_sink_open_params *params, sr_sink **out,
                  sr_sink_error *err);
  int32_t (*write)(sr_sink *sink, const sr_sink_batch *batch, sr_sink_error *err);
  int32_t (*on_watermark)(sr_sink *sink, int64_t watermark, sr_sink_error *err);
  int32_t (*on_checkpoint)(sr_sink *sink, int64_t checkpoint_id, sr_sink_token *token,
                           sr_sink_error *err);
  int32_t (*commit)(sr_sink *sink, int64_t checkpoint_id, sr_sink_error *err);
  int32_t (*abort)(sr_sink *sink, int64_t checkpoint_id, sr_sink_error *err);
  void (*cancel)(sr_sink *sink);
  int32_t (*close)(sr_sink *sink, sr_sink_error *err);
  int32_t (*get_stats)(sr_sink *sink, sr_sink_stats *out, sr_sink_error *err);
  /* Since 1.1. */
  int32_t (*connector_register)(sr_sink_connector *connector, const sr_sink_registration *reg,
                                sr_sink_error *err);
  int32_t (*commit_token)(sr_sink_connector *connector, const uint8_t *token, size_t token_len,
                          sr_sink_error *err);
  int32_t (*token_inspect)(const uint8_t *token, size_t token_len, sr_sink_token_info *out,
                           sr_sink_error *err);
  /* Since 1.2. */
  int32_t (*write_arrow)(sr_sink *sink, struct ArrowSchema *schema, struct ArrowArray *array,
                         const uint8_t *ops, sr_sink_error *err);
} sr_sink_vtable;

/**
 * Fill a function table. The only symbol a dlopen host needs (dlsym "sr_sink_get_vtable").
 * host_abi_version: SR_SINK_ABI_VERSION as the host was compiled. A different major version →
 *   SR_SINK_E_VERSION. out_size: sizeof(sr_sink_vtable) as the host was compiled; smaller than
 *   the 1.0 table → SR_SINK_E_INVALID_ARGUMENT; smaller than the library's → only what fits is
 *   filled (a host built against an older minor); larger → the rest is zeroed (slots this library
 *   does not have are NULL). out->struct_size tells how many bytes were filled.
 * Thread-safety: any thread. Since 1.0.
 */
SR_SINK_API int32_t sr_sink_get_vtable(uint32_t host_abi_version, sr_sink_vtable *out,
                                       size_t out_size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SR_SINK_H */
