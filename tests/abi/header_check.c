/* Compiled (not run) as C99, C11, C++11 and C++17 with -Wall -Wextra -Werror -pedantic: the
 * public header must be self-contained and warning-free in each. Also freezes the 1.x layouts on
 * LP64 so an accidental reorder or resize of a public struct fails here. */
#include "sr_sink.h"

#define SR_CHECK(name, cond) typedef char sr_check_##name[(cond) ? 1 : -1]

SR_CHECK(abi_major, SR_SINK_ABI_VERSION_MAJOR == 1);
SR_CHECK(abi_packed, SR_SINK_ABI_VERSION == ((1u << 16) | SR_SINK_ABI_VERSION_MINOR));
SR_CHECK(error_code_first, offsetof(sr_sink_error, struct_size) == 0);
SR_CHECK(error_size, sizeof(sr_sink_error) == 16 + SR_SINK_ERROR_LABEL_MAX + SR_SINK_ERROR_MESSAGE_MAX);

#if UINTPTR_MAX == 0xffffffffffffffffu
/* sr_sink_vtable 1.0: two uint32_t then 16 function pointers. Appending is fine; this pins
 * the 1.0 prefix. */
SR_CHECK(vt_abi_version_fn, offsetof(sr_sink_vtable, abi_version_fn) == 8);
SR_CHECK(vt_open, offsetof(sr_sink_vtable, open) == 8 + 7 * 8);
SR_CHECK(vt_get_stats, offsetof(sr_sink_vtable, get_stats) == 8 + 15 * 8);
SR_CHECK(vt_size_1_0, sizeof(sr_sink_vtable) >= 8 + 16 * 8);
SR_CHECK(host_size, sizeof(sr_sink_host) == 24);
SR_CHECK(credentials_size, sizeof(sr_sink_credentials) == 32);
SR_CHECK(slice_size, sizeof(sr_sink_slice) == 16);
SR_CHECK(batch_size, sizeof(sr_sink_batch) == 32);
SR_CHECK(open_params_size_1_0, offsetof(sr_sink_open_params, n_key_columns) == 48);
SR_CHECK(token_size, sizeof(sr_sink_token) == 40);
SR_CHECK(stats_rows_written, offsetof(sr_sink_stats, rows_written) == 8);
SR_CHECK(stats_size_1_0_prefix, offsetof(sr_sink_stats, server_load_ms) == 8 + 15 * 8);
/* 1.1 appends: */
SR_CHECK(vt_connector_register, offsetof(sr_sink_vtable, connector_register) == 8 + 16 * 8);
SR_CHECK(vt_token_inspect, offsetof(sr_sink_vtable, token_inspect) == 8 + 18 * 8);
SR_CHECK(stats_size_1_1, offsetof(sr_sink_stats, rows_rejected) == 8 + 16 * 8);
SR_CHECK(rejected_row_size, sizeof(sr_sink_rejected_row) == 48);
SR_CHECK(rejected_rows_size, sizeof(sr_sink_rejected_rows) == 32);
SR_CHECK(registration_size, sizeof(sr_sink_registration) == 40);
SR_CHECK(token_info_size, sizeof(sr_sink_token_info) == 24);
SR_CHECK(open_params_size, sizeof(sr_sink_open_params) == 64);
/* 1.2 appends: */
SR_CHECK(vt_write_arrow, offsetof(sr_sink_vtable, write_arrow) == 8 + 19 * 8);
SR_CHECK(stats_size, sizeof(sr_sink_stats) == 8 + 20 * 8);
SR_CHECK(arrow_schema_size, sizeof(struct ArrowSchema) == 72);
SR_CHECK(arrow_array_size, sizeof(struct ArrowArray) == 80);
#endif

/* Every function is declared with the type the vtable slot expects. */
static const sr_sink_vtable kTable = {
    sizeof(sr_sink_vtable), SR_SINK_ABI_VERSION, sr_sink_abi_version, sr_sink_version_string,
    sr_sink_build_info, sr_sink_status_name, sr_sink_connector_new, sr_sink_connector_add_sink,
    sr_sink_connector_free, sr_sink_open, sr_sink_write, sr_sink_on_watermark,
    sr_sink_on_checkpoint, sr_sink_commit, sr_sink_abort, sr_sink_cancel, sr_sink_close,
    sr_sink_get_stats, sr_sink_connector_register, sr_sink_commit_token, sr_sink_token_inspect,
    sr_sink_write_arrow};

int32_t (*header_check_entry(void))(uint32_t, sr_sink_vtable *, size_t);
int32_t (*header_check_entry(void))(uint32_t, sr_sink_vtable *, size_t) {
  (void)kTable;
  return sr_sink_get_vtable;
}
