#define _GNU_SOURCE
#include "library.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SONAME "libsr_sink.so.1"

typedef int32_t (*get_vtable_fn)(uint32_t, sr_sink_vtable *, size_t);
typedef uint32_t (*abi_version_fn)(void);

/* Opens one candidate and checks its ABI. Returns 1 loaded, 0 not found there, -1 refused. */
static int try_load(const char *path, sr_sink_vtable *vt, char *err, size_t err_len) {
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    snprintf(err, err_len, "cannot load %s: %s", path, dlerror());
    return 0;
  }
  get_vtable_fn get = (get_vtable_fn)dlsym(h, "sr_sink_get_vtable");
  if (!get) {
    snprintf(err, err_len, "%s is not libsr_sink: no symbol sr_sink_get_vtable", path);
    dlclose(h);
    return -1;
  }
  memset(vt, 0, sizeof *vt);
  int32_t rc = get(SR_SINK_ABI_VERSION, vt, sizeof *vt);
  if (rc != SR_SINK_OK) {
    abi_version_fn ver = (abi_version_fn)dlsym(h, "sr_sink_abi_version");
    unsigned lib = ver ? (unsigned)ver() : 0;
    snprintf(err, err_len,
             "%s has ABI version %u.%u, but sr-load needs ABI major %d (sr_sink_get_vtable "
             "returned %d)",
             path, lib >> 16, lib & 0xffff, SR_SINK_ABI_VERSION_MAJOR, (int)rc);
    dlclose(h);
    return -1;
  }
  if ((vt->abi_version >> 16) != SR_SINK_ABI_VERSION_MAJOR ||
      vt->struct_size < offsetof(sr_sink_vtable, get_stats) + sizeof vt->get_stats) {
    snprintf(err, err_len, "%s has ABI version %u.%u, but sr-load needs ABI major %d", path,
             vt->abi_version >> 16, vt->abi_version & 0xffff, SR_SINK_ABI_VERSION_MAJOR);
    dlclose(h);
    return -1;
  }
  /* The handle stays open for the life of the process (the vtable points into it). */
  return 1;
}

static int file_exists(const char *p) { return access(p, R_OK) == 0; }

int library_load(const char *explicit_path, sr_sink_vtable *vt, char *loaded_path,
                 size_t loaded_len, char *err, size_t err_len) {
  const char *chosen = explicit_path;
  if (!chosen || !*chosen) chosen = getenv("SR_SINK_LIBRARY");
  if (chosen && *chosen) {
    int rc = try_load(chosen, vt, err, err_len);
    if (rc == 1) snprintf(loaded_path, loaded_len, "%s", chosen);
    return rc == 1 ? 0 : -1;
  }

  char candidates[4][PATH_MAX];
  int n = 0;
  char exe[PATH_MAX - 64];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    snprintf(candidates[n++], PATH_MAX, "%s/../lib/" SONAME, exe);
#ifdef SR_LOAD_INSTALL_LIBDIR
    snprintf(candidates[n++], PATH_MAX, "%s/../" SR_LOAD_INSTALL_LIBDIR "/" SONAME, exe);
#endif
  }
#ifdef SR_LOAD_BUILD_LIBRARY
  snprintf(candidates[n++], PATH_MAX, "%s", SR_LOAD_BUILD_LIBRARY);
#endif
  for (int i = 0; i < n; i++) {
    if (!file_exists(candidates[i])) continue;
    int rc = try_load(candidates[i], vt, err, err_len);
    if (rc == 1) {
      snprintf(loaded_path, loaded_len, "%s", candidates[i]);
      return 0;
    }
    if (rc < 0) return -1;
  }
  int rc = try_load(SONAME, vt, err, err_len);
  if (rc == 1) {
    snprintf(loaded_path, loaded_len, "%s", SONAME);
    return 0;
  }
  if (rc == 0) {
    char why[600];
    snprintf(why, sizeof why, "%s", err);
    snprintf(err, err_len,
             "cannot find libsr_sink.so.1 (%s); pass --library PATH or set SR_SINK_LIBRARY", why);
  }
  return -1;
}
