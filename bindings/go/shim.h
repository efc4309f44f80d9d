/* C side of the cgo binding: builds the ABI structs from plain arguments (so no Go memory that
 * holds Go pointers is passed to C) and turns the Go //export functions into the library's
 * callback function pointers. */
#ifndef SRSINK_GO_SHIM_H
#define SRSINK_GO_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sr_sink.h"

/* log_handle 0: no logging. Otherwise a runtime/cgo.Handle of the Go log func. */
int32_t srsink_connector_new(int32_t log_level, uintptr_t log_handle, sr_sink_connector **out,
                             sr_sink_error *err);
/* creds_handle: a runtime/cgo.Handle the library releases through srsinkGoRelease. */
int32_t srsink_add_sink(sr_sink_connector *c, const char *glob, const char *options,
                        uintptr_t creds_handle, sr_sink_error *err);
int32_t srsink_open(sr_sink_connector *c, const char *table, const char *const *columns,
                    uint32_t n_columns, const char *instance_id, const uint8_t *token,
                    size_t token_len, sr_sink **out, sr_sink_error *err);
/* Row i is buf[ends[i-1] .. ends[i]) (ends[-1] = 0); ops has n entries. */
int32_t srsink_write(sr_sink *s, const char *buf, const size_t *ends, const uint8_t *ops,
                     size_t n, sr_sink_error *err);
/* Calls token->release if set (the library then sets it to NULL). */
void srsink_token_release(sr_sink_token *token);

/* The binding's copy of the library's function table (sr_sink_get_vtable), filled once by
 * srsink_load_vtable before any other call. The functions added in ABI 1.1 are called only
 * through it, so the package also links and runs against a 1.0 library. */
int32_t srsink_load_vtable(uint32_t host_abi_version, uint32_t *abi_version, uint32_t *filled);
/* 1 when the table has ABI 1.1 slot `index` (0 register, 1 commit_token, 2 token_inspect). */
int srsink_has_1_1_slot(int index);
/* sr_sink_connector_register with the credentials and rejected-rows handles (both released by
 * the library through srsinkGoRelease). Only after srsink_has_1_1_slot(0). */
int32_t srsink_register(sr_sink_connector *c, const char *glob, const char *options,
                        uintptr_t creds_handle, uintptr_t rows_handle, sr_sink_error *err);
/* Only after srsink_has_1_1_slot(1) / srsink_has_1_1_slot(2). */
int32_t srsink_commit_token(sr_sink_connector *c, const uint8_t *token, size_t token_len,
                            sr_sink_error *err);
int32_t srsink_token_inspect(const uint8_t *token, size_t token_len, sr_sink_token_info *out,
                             sr_sink_error *err);

/* 1 when the table has the ABI 1.2 slot write_arrow. */
int srsink_has_write_arrow(void);
/* sr_sink_write_arrow through the table (only after srsink_has_write_arrow). schema/array are
 * struct ArrowSchema* / struct ArrowArray* (void* so that any package's cgo type can be passed);
 * the library takes and releases both. */
int32_t srsink_write_arrow(sr_sink *s, void *schema, void *array, const uint8_t *ops,
                           sr_sink_error *err);
/* Releases what is still live (release not NULL) and marks it released: the structs of a call
 * that did not reach the library. */
void srsink_release_arrow(void *schema, void *array);
/* array->length, for checking the ops count. */
int64_t srsink_arrow_length(const void *array);

#endif
