/* Finding and loading libsr_sink the way a plugin host does: dlopen + sr_sink_get_vtable.
 * sr-load is not linked with the library, so this also proves the plugin path. */
#ifndef SR_LOAD_LIBRARY_H
#define SR_LOAD_LIBRARY_H

#include <stddef.h>

#include "sr_sink.h"

/* Search order: `explicit_path` (--library), $SR_SINK_LIBRARY, <dir of the executable>/../lib (and ../<libdir>),
 * the build tree's library (compile-time SR_LOAD_BUILD_LIBRARY, if it exists), then the
 * loader's search path ("libsr_sink.so.1"). Fills vt. Returns 0, or -1 with a message. */
int library_load(const char *explicit_path, sr_sink_vtable *vt, char *loaded_path,
                 size_t loaded_len, char *err, size_t err_len);

#endif
