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

#endif
