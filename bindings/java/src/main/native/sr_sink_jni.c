/*
 * sr_sink_jni.c — the JNI glue of the Java binding (io.github.srsink.NativeBridge).
 *
 * It dlopen()s libsr_sink.so.1 by the path the Java side chose and calls it only through the
 * function table of sr_sink_get_vtable(): no link-time dependency on libsr_sink, and a slot that
 * an older 1.x library leaves NULL becomes SR_SINK_E_NOT_SUPPORTED instead of a crash.
 *
 * Conventions:
 * - Strings cross as NUL-terminated UTF-8 byte[] (built by the Java side) and come back as byte[]
 *   (decoded in Java), so bytes that are not modified UTF-8 never reach NewStringUTF.
 * - A library error becomes a SinkException built by SinkException.fromNative and thrown; the
 *   natives then return a dummy value that Java ignores.
 * - Callbacks may arrive on library threads: those are attached to the JVM as daemon threads once
 *   and detached when they exit (a pthread key destructor). Every callback runs inside its own
 *   local frame and never lets a Java exception stay pending. Callback objects are global
 *   references owned by the library until it calls release (credentials, rejected rows) or until
 *   the connector is freed (log).
 * - No primitive array is held "critical" across a library call: callbacks may run on the calling
 *   thread, and they call into the JVM.
 */
#include <dlfcn.h>
#include <jni.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_sink.h"

#define BRIDGE "io/github/srsink/NativeBridge"

/* ---- Loaded libraries and connectors --------------------------------------------------------- */

typedef int32_t (*get_vtable_fn)(uint32_t, sr_sink_vtable *, size_t);

/* One loaded libsr_sink. Never freed: library threads may outlive any Java object. */
typedef struct jlib {
  void *dl;
  get_vtable_fn get_vtable;
  sr_sink_vtable vt;
} jlib;

/* One connector and the log bridge the library calls until connector_free returns. */
typedef struct jconn {
  sr_sink_connector *c;
  jobject log_ref; /* global ref or NULL */
} jconn;

static JavaVM *g_vm;
static pthread_key_t g_detach_key;
static jclass g_sink_exception;      /* io.github.srsink.SinkException */
static jmethodID g_from_native;      /* static SinkException fromNative(int,byte[],int,int,byte[],byte[]) */
static jmethodID g_log_line;         /* void LogBridge.line(int, byte[]) */
static jmethodID g_credentials_get;  /* byte[] CredentialsBridge.get(byte[], boolean) */
static jmethodID g_rejected_accept;  /* int RejectedRowsBridge.accept(byte[], byte[], byte[], byte[]) */

static jlib *as_lib(jlong h) { return (jlib *)(intptr_t)h; }
static jconn *as_conn(jlong h) { return (jconn *)(intptr_t)h; }
static sr_sink *as_sink(jlong h) { return (sr_sink *)(intptr_t)h; }

/* ---- Errors -------------------------------------------------------------------------------- */

static jbyteArray bytes_of(JNIEnv *env, const char *s, size_t len) {
  jbyteArray a = (*env)->NewByteArray(env, (jsize)len);
  if (a && len) (*env)->SetByteArrayRegion(env, a, 0, (jsize)len, (const jbyte *)s);
  return a;
}

static jbyteArray cstr_bytes(JNIEnv *env, const char *s) {
  return bytes_of(env, s ? s : "", s ? strnlen(s, 1 << 20) : 0);
}

static void init_error(sr_sink_error *err) {
  memset(err, 0, sizeof *err);
  err->struct_size = sizeof *err;
}

/* Throws the SinkException for *err (the library's status name, flags, label and message). */
static void throw_error(JNIEnv *env, const jlib *lib, int32_t rc, const sr_sink_error *err) {
  if ((*env)->ExceptionCheck(env)) return;
  const char *name = lib && lib->vt.status_name ? lib->vt.status_name(rc) : "";
  jbyteArray jname = cstr_bytes(env, name);
  jbyteArray jlabel = bytes_of(env, err->label, strnlen(err->label, sizeof err->label));
  jbyteArray jmsg = bytes_of(env, err->message, strnlen(err->message, sizeof err->message));
  if ((*env)->ExceptionCheck(env)) return; /* OutOfMemoryError is pending: it wins */
  jobject ex = (*env)->CallStaticObjectMethod(env, g_sink_exception, g_from_native, (jint)rc, jname,
                                              (jint)err->flags, (jint)err->http_status, jlabel, jmsg);
  if (ex && !(*env)->ExceptionCheck(env)) (*env)->Throw(env, (jthrowable)ex);
}

/* An error the glue itself detects (no library call made or possible). */
static void throw_glue(JNIEnv *env, const jlib *lib, int32_t rc, const char *fmt, const char *arg) {
  sr_sink_error err;
  init_error(&err);
  err.code = rc;
  snprintf(err.message, sizeof err.message, fmt, arg);
  throw_error(env, lib, rc, &err);
}

static void throw_link_error(JNIEnv *env, const char *what, const char *path, const char *why) {
  char msg[1024];
  snprintf(msg, sizeof msg, "%s %s: %s", what, path, why ? why : "unknown error");
  jclass cls = (*env)->FindClass(env, "java/lang/UnsatisfiedLinkError");
  if (cls) (*env)->ThrowNew(env, cls, msg);
}

/* A vtable slot an older 1.x library does not fill. */
#define REQUIRE_SLOT(env, lib, slot, fname)                                                       \
  do {                                                                                            \
    if (!(lib)->vt.slot) {                                                                        \
      throw_glue(env, lib, SR_SINK_E_NOT_SUPPORTED,                                               \
                 "the loaded libsr_sink has no %s (it needs ABI 1.1 or later)", fname);           \
      return 0;                                                                                   \
    }                                                                                             \
  } while (0)

#define REQUIRE_SLOT_VOID(env, lib, slot, fname)                                                  \
  do {                                                                                            \
    if (!(lib)->vt.slot) {                                                                        \
      throw_glue(env, lib, SR_SINK_E_NOT_SUPPORTED,                                               \
                 "the loaded libsr_sink has no %s (it needs ABI 1.1 or later)", fname);           \
      return;                                                                                     \
    }                                                                                             \
  } while (0)

/* Copies a NUL-terminated byte[] (built by Java) into malloc'd memory; NULL array → NULL. */
static char *dup_cstr(JNIEnv *env, jbyteArray a) {
  if (!a) return NULL;
  jsize n = (*env)->GetArrayLength(env, a);
  char *s = (char *)malloc((size_t)n + 1);
  if (!s) return NULL;
  (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)s);
  s[n] = '\0';
  return s;
}

/* ---- Threads ---------------------------------------------------------------------------------- */

static void detach_at_thread_exit(void *unused) {
  (void)unused;
  if (g_vm) (*g_vm)->DetachCurrentThread(g_vm);
}

/* The JNIEnv of the current thread, attaching a library thread (as a daemon, so it never keeps
 * the JVM alive) the first time it calls back. NULL when the JVM is going away. */
static JNIEnv *callback_env(void) {
  JNIEnv *env = NULL;
  jint rc = (*g_vm)->GetEnv(g_vm, (void **)&env, JNI_VERSION_1_8);
  if (rc == JNI_OK) return env;
  if (rc != JNI_EDETACHED) return NULL;
  JavaVMAttachArgs args;
  args.version = JNI_VERSION_1_8;
  args.name = (char *)"sr-sink-native";
  args.group = NULL;
  if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &args) != JNI_OK) return NULL;
  pthread_setspecific(g_detach_key, (void *)1);
  return env;
}

/* ---- Callbacks --------------------------------------------------------------------------------- */

/* A local frame for one callback; on failure no exception is left pending on the thread. */
static int push_frame(JNIEnv *env, jint capacity) {
  if ((*env)->PushLocalFrame(env, capacity) == 0) return 1;
  (*env)->ExceptionClear(env);
  return 0;
}

static void log_trampoline(void *user_data, int32_t level, const char *message) {
  JNIEnv *env = callback_env();
  if (!env || !push_frame(env, 4)) return;
  jbyteArray msg = cstr_bytes(env, message);
  if (msg) (*env)->CallVoidMethod(env, (jobject)user_data, g_log_line, (jint)level, msg);
  if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env); /* a lost line, never a crash */
  (*env)->PopLocalFrame(env, NULL);
}

static void release_global_ref(void *user_data) {
  JNIEnv *env = callback_env();
  if (env && user_data) (*env)->DeleteGlobalRef(env, (jobject)user_data);
}

/* The Java bridge answers "user\0password" as one byte[] (or null on failure); the glue copies
 * both into the library's buffers and wipes every copy of the password it made. */
static int32_t credentials_trampoline(void *user_data, const char *table, int32_t after_auth_failure,
                                      char *user, char *password) {
  JNIEnv *env = callback_env();
  if (!env || !push_frame(env, 4)) return 1;
  int32_t rc = 1;
  jbyteArray jtable = cstr_bytes(env, table);
  jbyteArray answer = NULL;
  if (jtable)
    answer = (jbyteArray)(*env)->CallObjectMethod(env, (jobject)user_data, g_credentials_get, jtable,
                                                  (jboolean)(after_auth_failure != 0));
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
    answer = NULL;
  }
  if (answer) {
    static const jbyte zeros[SR_SINK_CREDENTIAL_USER_MAX + SR_SINK_CREDENTIAL_PASSWORD_MAX];
    jbyte buf[SR_SINK_CREDENTIAL_USER_MAX + SR_SINK_CREDENTIAL_PASSWORD_MAX];
    jsize n = (*env)->GetArrayLength(env, answer);
    if (n > 0 && (size_t)n <= sizeof buf) {
      (*env)->GetByteArrayRegion(env, answer, 0, n, buf);
      const char *sep = memchr(buf, 0, (size_t)n);
      size_t ulen = sep ? (size_t)(sep - (const char *)buf) : 0;
      size_t plen = sep ? (size_t)n - ulen - 1 : 0;
      if (sep && ulen < SR_SINK_CREDENTIAL_USER_MAX && plen < SR_SINK_CREDENTIAL_PASSWORD_MAX &&
          !memchr(sep + 1, 0, plen)) {
        memcpy(user, buf, ulen);
        user[ulen] = '\0';
        memcpy(password, sep + 1, plen);
        password[plen] = '\0';
        rc = 0;
      }
      (*env)->SetByteArrayRegion(env, answer, 0, n, zeros);
      volatile jbyte *v = buf;
      for (jsize i = 0; i < n; ++i) v[i] = 0;
    }
  }
  if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
  (*env)->PopLocalFrame(env, NULL);
  return rc;
}

static int32_t rejected_row_trampoline(void *user_data, const sr_sink_rejected_row *row) {
  JNIEnv *env = callback_env();
  if (!env || !row || !push_frame(env, 8)) return 1;
  /* Read only the fields the library's struct has (struct_size). */
  size_t have = row->struct_size;
#define HAS(field) (have >= offsetof(sr_sink_rejected_row, field) + sizeof row->field)
  jbyteArray table = cstr_bytes(env, HAS(table) ? row->table : NULL);
  jbyteArray label = cstr_bytes(env, HAS(label) ? row->label : NULL);
  jbyteArray text = HAS(row_len) && row->row ? bytes_of(env, row->row, row->row_len) : bytes_of(env, "", 0);
  jbyteArray reason = cstr_bytes(env, HAS(reason) ? row->reason : NULL);
#undef HAS
  int32_t rc = 1;
  if (table && label && text && reason)
    rc = (*env)->CallIntMethod(env, (jobject)user_data, g_rejected_accept, table, label, text, reason);
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
    rc = 1;
  }
  (*env)->PopLocalFrame(env, NULL);
  return rc;
}

/* ---- Library -------------------------------------------------------------------------------- */

/* vtable_size: sizeof(sr_sink_vtable) when 0; a smaller size makes the glue see the slots of an
 * older 1.x library only (a test hook: the later slots stay NULL). */
static jlong JNICALL n_load(JNIEnv *env, jclass cls, jbyteArray jpath, jint host_abi, jint vtable_size) {
  (void)cls;
  char *path = dup_cstr(env, jpath);
  if (!path) return 0;
  void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!dl) {
    throw_link_error(env, "cannot load libsr_sink", path, dlerror());
    free(path);
    return 0;
  }
  get_vtable_fn get = (get_vtable_fn)dlsym(dl, "sr_sink_get_vtable");
  uint32_t (*abi)(void) = (uint32_t(*)(void))dlsym(dl, "sr_sink_abi_version");
  if (!get || !abi) {
    throw_link_error(env, "not libsr_sink:", path, "it exports no sr_sink_get_vtable or sr_sink_abi_version");
    dlclose(dl);
    free(path);
    return 0;
  }
  jlib *lib = (jlib *)calloc(1, sizeof *lib);
  if (!lib) {
    dlclose(dl);
    free(path);
    return 0;
  }
  lib->dl = dl;
  lib->get_vtable = get;
  size_t size = vtable_size > 0 && (size_t)vtable_size < sizeof lib->vt ? (size_t)vtable_size : sizeof lib->vt;
  int32_t rc = get((uint32_t)host_abi, &lib->vt, size);
  uint32_t have = abi();
  if (rc == SR_SINK_E_VERSION || (rc == SR_SINK_OK && (lib->vt.abi_version >> 16) != ((uint32_t)host_abi >> 16))) {
    sr_sink_error err;
    init_error(&err);
    snprintf(err.message, sizeof err.message,
             "%s has ABI version %u.%u (major %u) but this binding needs ABI major %u",
             path, have >> 16, have & 0xffffu, have >> 16, (uint32_t)host_abi >> 16);
    jlib tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.vt.status_name = (const char *(*)(int32_t))dlsym(dl, "sr_sink_status_name");
    throw_error(env, &tmp, SR_SINK_E_VERSION, &err);
    dlclose(dl);
    free(lib);
    free(path);
    return 0;
  }
  if (rc != SR_SINK_OK) {
    char why[64];
    snprintf(why, sizeof why, "sr_sink_get_vtable returned %d", (int)rc);
    throw_link_error(env, "cannot use libsr_sink", path, why);
    dlclose(dl);
    free(lib);
    free(path);
    return 0;
  }
  free(path);
  return (jlong)(intptr_t)lib;
}

/* Test hook: the size of the ABI 1.0 function table (up to get_stats). */
static jint JNICALL n_vtable_size_10(JNIEnv *env, jclass cls) {
  (void)env, (void)cls;
  return (jint)offsetof(sr_sink_vtable, connector_register);
}

static jint JNICALL n_abi_version(JNIEnv *env, jclass cls, jlong h) {
  (void)env, (void)cls;
  return (jint)as_lib(h)->vt.abi_version;
}

static jbyteArray JNICALL n_version_string(JNIEnv *env, jclass cls, jlong h) {
  (void)cls;
  return cstr_bytes(env, as_lib(h)->vt.version_string());
}

static jbyteArray JNICALL n_build_info(JNIEnv *env, jclass cls, jlong h) {
  (void)cls;
  return cstr_bytes(env, as_lib(h)->vt.build_info());
}

static jbyteArray JNICALL n_status_name(JNIEnv *env, jclass cls, jlong h, jint status) {
  (void)cls;
  return cstr_bytes(env, as_lib(h)->vt.status_name((int32_t)status));
}

static jint JNICALL n_raw_get_vtable(JNIEnv *env, jclass cls, jlong h, jint host_abi) {
  (void)env, (void)cls;
  sr_sink_vtable vt;
  return (jint)as_lib(h)->get_vtable((uint32_t)host_abi, &vt, sizeof vt);
}

/* ---- Connector -------------------------------------------------------------------------------- */

static jlong JNICALL n_connector_new(JNIEnv *env, jclass cls, jlong h, jint log_level, jobject log) {
  (void)cls;
  jlib *lib = as_lib(h);
  jconn *jc = (jconn *)calloc(1, sizeof *jc);
  if (!jc) {
    throw_glue(env, lib, SR_SINK_E_NO_MEMORY, "%s", "out of memory creating a connector");
    return 0;
  }
  sr_sink_host host;
  memset(&host, 0, sizeof host);
  host.struct_size = sizeof host;
  host.log_level = log_level;
  if (log) {
    jc->log_ref = (*env)->NewGlobalRef(env, log);
    host.log = log_trampoline;
    host.log_user_data = jc->log_ref;
  }
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.connector_new(&host, &jc->c, &err);
  if (rc != SR_SINK_OK) {
    if (jc->log_ref) (*env)->DeleteGlobalRef(env, jc->log_ref);
    free(jc);
    throw_error(env, lib, rc, &err);
    return 0;
  }
  return (jlong)(intptr_t)jc;
}

static void fill_credentials(JNIEnv *env, sr_sink_credentials *creds, jobject bridge) {
  memset(creds, 0, sizeof *creds);
  creds->struct_size = sizeof *creds;
  creds->get = credentials_trampoline;
  creds->user_data = (*env)->NewGlobalRef(env, bridge);
  creds->release = release_global_ref;
}

static void JNICALL n_connector_register(JNIEnv *env, jclass cls, jlong h, jlong c, jbyteArray jglob,
                                         jbyteArray jopts, jobject credentials, jobject rejected,
                                         jboolean use_register) {
  (void)cls;
  jlib *lib = as_lib(h);
  if (use_register) REQUIRE_SLOT_VOID(env, lib, connector_register, "sr_sink_connector_register");
  char *glob = dup_cstr(env, jglob);
  char *opts = dup_cstr(env, jopts);
  sr_sink_error err;
  init_error(&err);
  int32_t rc;
  if (!glob || !opts) {
    free(glob);
    free(opts);
    throw_glue(env, lib, SR_SINK_E_NO_MEMORY, "%s", "out of memory registering a sink");
    return;
  }
  sr_sink_credentials creds;
  fill_credentials(env, &creds, credentials);
  if (!use_register) {
    rc = lib->vt.connector_add_sink(as_conn(c)->c, glob, opts, &creds, &err);
  } else {
    sr_sink_rejected_rows rej;
    memset(&rej, 0, sizeof rej);
    rej.struct_size = sizeof rej;
    sr_sink_registration reg;
    memset(&reg, 0, sizeof reg);
    reg.struct_size = sizeof reg;
    reg.glob = glob;
    reg.options_json = opts;
    reg.credentials = &creds;
    if (rejected) {
      rej.on_row = rejected_row_trampoline;
      rej.user_data = (*env)->NewGlobalRef(env, rejected);
      rej.release = release_global_ref;
      reg.rejected_rows = &rej;
    }
    rc = lib->vt.connector_register(as_conn(c)->c, &reg, &err);
  }
  free(glob);
  free(opts);
  if (rc != SR_SINK_OK) throw_error(env, lib, rc, &err);
}

static void JNICALL n_connector_free(JNIEnv *env, jclass cls, jlong h, jlong c) {
  (void)cls;
  jconn *jc = as_conn(c);
  if (!jc) return;
  as_lib(h)->vt.connector_free(jc->c); /* no callback after this returns */
  if (jc->log_ref) (*env)->DeleteGlobalRef(env, jc->log_ref);
  free(jc);
}

/* A malloc'd copy of a token's bytes (*n of them), or NULL with an exception thrown. */
static uint8_t *dup_token(JNIEnv *env, const jlib *lib, jbyteArray jtoken, jsize *n) {
  *n = (*env)->GetArrayLength(env, jtoken);
  uint8_t *tok = (uint8_t *)malloc(*n ? (size_t)*n : 1);
  if (!tok) {
    throw_glue(env, lib, SR_SINK_E_NO_MEMORY, "%s", "out of memory copying a token");
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, jtoken, 0, *n, (jbyte *)tok);
  return tok;
}

static void JNICALL n_commit_token(JNIEnv *env, jclass cls, jlong h, jlong c, jbyteArray jtoken) {
  (void)cls;
  jlib *lib = as_lib(h);
  REQUIRE_SLOT_VOID(env, lib, commit_token, "sr_sink_commit_token");
  jsize n = 0;
  uint8_t *tok = dup_token(env, lib, jtoken, &n);
  if (!tok) return;
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.commit_token(as_conn(c)->c, tok, (size_t)n, &err);
  free(tok);
  if (rc != SR_SINK_OK) throw_error(env, lib, rc, &err);
}

static void JNICALL n_token_inspect(JNIEnv *env, jclass cls, jlong h, jbyteArray jtoken, jlongArray out) {
  (void)cls;
  jlib *lib = as_lib(h);
  REQUIRE_SLOT_VOID(env, lib, token_inspect, "sr_sink_token_inspect");
  jsize n = 0;
  uint8_t *tok = dup_token(env, lib, jtoken, &n);
  if (!tok) return;
  sr_sink_token_info info;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.token_inspect(tok, (size_t)n, &info, &err);
  free(tok);
  if (rc != SR_SINK_OK) {
    throw_error(env, lib, rc, &err);
    return;
  }
  jlong v[3] = {info.execution_mode, info.checkpoint_id, (jlong)info.n_transactions};
  (*env)->SetLongArrayRegion(env, out, 0, 3, v);
}

/* ---- Sink ------------------------------------------------------------------------------------- */

/* A byte[][] of C strings (NULL array: 0 strings) → a calloc'd array of n strdup'd strings, or
 * NULL when out of memory. Free with free_cstr_array. */
static char **dup_cstr_array(JNIEnv *env, jobjectArray arr, jsize *n) {
  *n = arr ? (*env)->GetArrayLength(env, arr) : 0;
  char **out = (char **)calloc(*n ? (size_t)*n : 1, sizeof *out);
  for (jsize i = 0; out && i < *n; ++i) {
    jbyteArray s = (jbyteArray)(*env)->GetObjectArrayElement(env, arr, i);
    out[i] = dup_cstr(env, s);
    (*env)->DeleteLocalRef(env, s);
    if (!out[i]) {
      for (jsize j = 0; j < i; ++j) free(out[j]);
      free(out);
      return NULL;
    }
  }
  return out;
}

static void free_cstr_array(char **arr, jsize n) {
  for (jsize i = 0; arr && i < n; ++i) free(arr[i]);
  free(arr);
}

static jlong JNICALL n_open(JNIEnv *env, jclass cls, jlong h, jlong c, jbyteArray jtable,
                            jobjectArray jcolumns, jbyteArray jinstance, jbyteArray jtoken,
                            jobjectArray jkeys) {
  (void)cls;
  jlib *lib = as_lib(h);
  if (jkeys && (lib->vt.abi_version & 0xFFFFu) < 1) {
    /* A 1.0 library reads only the 1.0 part of the params: it could not check the key. */
    throw_glue(env, lib, SR_SINK_E_NOT_SUPPORTED, "%s",
               "key columns need libsr_sink ABI 1.1 or newer to be checked at open");
    return 0;
  }
  jsize ncol = 0, nkey = 0;
  char **cols = dup_cstr_array(env, jcolumns, &ncol);
  char **keys = dup_cstr_array(env, jkeys, &nkey);
  char *table = dup_cstr(env, jtable);
  char *instance = dup_cstr(env, jinstance);
  jsize ntok = jtoken ? (*env)->GetArrayLength(env, jtoken) : 0;
  uint8_t *tok = ntok ? (uint8_t *)malloc((size_t)ntok) : NULL;
  int oom = !cols || !keys || !table || (jinstance && !instance) || (ntok && !tok);
  sr_sink *sink = NULL;
  if (!oom) {
    if (ntok) (*env)->GetByteArrayRegion(env, jtoken, 0, ntok, (jbyte *)tok);
    sr_sink_open_params p;
    memset(&p, 0, sizeof p);
    p.struct_size = sizeof p;
    p.table = table;
    p.columns = (const char *const *)cols;
    p.n_columns = (uint32_t)ncol;
    p.instance_id = instance;
    p.restore_token = tok;
    p.restore_token_len = (size_t)ntok;
    p.key_columns = (const char *const *)keys;
    p.n_key_columns = (uint32_t)nkey;
    sr_sink_error err;
    init_error(&err);
    int32_t rc = lib->vt.open(as_conn(c)->c, &p, &sink, &err);
    if (rc != SR_SINK_OK) {
      sink = NULL;
      throw_error(env, lib, rc, &err);
    }
  } else {
    throw_glue(env, lib, SR_SINK_E_NO_MEMORY, "%s", "out of memory opening a sink");
  }
  free_cstr_array(cols, ncol);
  free_cstr_array(keys, nkey);
  free(table);
  free(instance);
  free(tok);
  return (jlong)(intptr_t)sink;
}

/* Builds the sr_sink_batch of n rows: row i is data[ends[i-1], ends[i]) of the direct buffer.
 * Returns a malloc'd block holding the slices and ops (free it), or NULL with an exception set. */
static void *build_batch(JNIEnv *env, const jlib *lib, jobject data, jintArray jends, jbyteArray jops,
                         jint n, sr_sink_batch *batch) {
  memset(batch, 0, sizeof *batch);
  batch->struct_size = sizeof *batch;
  if (n <= 0) return calloc(1, 1);
  const char *base = (const char *)(*env)->GetDirectBufferAddress(env, data);
  jlong cap = (*env)->GetDirectBufferCapacity(env, data);
  if (!base || cap < 0 || (*env)->GetArrayLength(env, jends) < n ||
      (jops && (*env)->GetArrayLength(env, jops) < n)) {
    throw_glue(env, lib, SR_SINK_E_INVALID_ARGUMENT, "%s", "batch: not a direct buffer, or short arrays");
    return NULL;
  }
  size_t slices = (size_t)n * sizeof(sr_sink_slice);
  char *block = (char *)malloc(slices + (size_t)n * sizeof(jint) + (size_t)n);
  if (!block) {
    throw_glue(env, lib, SR_SINK_E_NO_MEMORY, "%s", "out of memory building a batch");
    return NULL;
  }
  sr_sink_slice *rows = (sr_sink_slice *)block;
  jint *ends = (jint *)(block + slices);
  uint8_t *ops = (uint8_t *)(ends + n);
  (*env)->GetIntArrayRegion(env, jends, 0, n, ends);
  if (jops) (*env)->GetByteArrayRegion(env, jops, 0, n, (jbyte *)ops);
  jint start = 0;
  for (jint i = 0; i < n; ++i) {
    if (ends[i] < start || ends[i] > cap) {
      free(block);
      throw_glue(env, lib, SR_SINK_E_INVALID_ARGUMENT, "%s", "batch: row offsets out of order or past the buffer");
      return NULL;
    }
    rows[i].data = base + start;
    rows[i].len = (size_t)(ends[i] - start);
    start = ends[i];
  }
  batch->n_rows = (size_t)n;
  batch->rows = rows;
  batch->ops = jops ? ops : NULL;
  return block;
}

static void JNICALL n_write(JNIEnv *env, jclass cls, jlong h, jlong s, jobject data, jintArray ends,
                            jbyteArray ops, jint n) {
  (void)cls;
  jlib *lib = as_lib(h);
  sr_sink_batch batch;
  void *block = build_batch(env, lib, data, ends, ops, n, &batch);
  if (!block) return;
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.write(as_sink(s), &batch, &err);
  free(block);
  if (rc != SR_SINK_OK) throw_error(env, lib, rc, &err);
}

/* Test hook: the marshalling of n_write without the library call (the per-batch overhead). */
static jlong JNICALL n_batch_probe(JNIEnv *env, jclass cls, jobject data, jintArray ends, jbyteArray ops,
                                   jint n) {
  (void)cls;
  sr_sink_batch batch;
  void *block = build_batch(env, NULL, data, ends, ops, n, &batch);
  if (!block) return -1;
  jlong total = 0;
  for (size_t i = 0; i < batch.n_rows; ++i) total += (jlong)batch.rows[i].len;
  free(block);
  return total;
}

static void JNICALL n_on_watermark(JNIEnv *env, jclass cls, jlong h, jlong s, jlong wm) {
  (void)cls;
  jlib *lib = as_lib(h);
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.on_watermark(as_sink(s), (int64_t)wm, &err);
  if (rc != SR_SINK_OK) throw_error(env, lib, rc, &err);
}

/* Copies the token into a new byte[] and releases the library's token exactly once, also when
 * the copy fails (then an OutOfMemoryError is pending and NULL is returned). */
static jbyteArray take_token(JNIEnv *env, sr_sink_token *tok) {
  jbyteArray out = bytes_of(env, (const char *)tok->data, tok->len);
  if (tok->release) tok->release(tok);
  return out;
}

static jbyteArray JNICALL n_on_checkpoint(JNIEnv *env, jclass cls, jlong h, jlong s, jlong id) {
  (void)cls;
  jlib *lib = as_lib(h);
  sr_sink_token tok;
  memset(&tok, 0, sizeof tok);
  tok.struct_size = sizeof tok;
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.on_checkpoint(as_sink(s), (int64_t)id, &tok, &err);
  if (rc != SR_SINK_OK) {
    if (tok.release) tok.release(&tok); /* the header says NULL on error; never leak if not */
    throw_error(env, lib, rc, &err);
    return NULL;
  }
  return take_token(env, &tok);
}

typedef int32_t (*id_fn)(sr_sink *, int64_t, sr_sink_error *);

static void call_with_id(JNIEnv *env, jlib *lib, id_fn fn, jlong s, jlong id) {
  sr_sink_error err;
  init_error(&err);
  int32_t rc = fn(as_sink(s), (int64_t)id, &err);
  if (rc != SR_SINK_OK) throw_error(env, lib, rc, &err);
}

static void JNICALL n_commit(JNIEnv *env, jclass cls, jlong h, jlong s, jlong id) {
  (void)cls;
  call_with_id(env, as_lib(h), as_lib(h)->vt.commit, s, id);
}

static void JNICALL n_abort(JNIEnv *env, jclass cls, jlong h, jlong s, jlong id) {
  (void)cls;
  call_with_id(env, as_lib(h), as_lib(h)->vt.abort, s, id);
}

static void JNICALL n_cancel(JNIEnv *env, jclass cls, jlong h, jlong s) {
  (void)env, (void)cls;
  as_lib(h)->vt.cancel(as_sink(s));
}

static void JNICALL n_close(JNIEnv *env, jclass cls, jlong h, jlong s) {
  (void)cls;
  jlib *lib = as_lib(h);
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.close(as_sink(s), &err); /* frees the sink either way */
  if (rc != SR_SINK_OK) throw_error(env, lib, rc, &err);
}

static void JNICALL n_stats(JNIEnv *env, jclass cls, jlong h, jlong s, jlongArray out) {
  (void)cls;
  jlib *lib = as_lib(h);
  sr_sink_stats st;
  memset(&st, 0, sizeof st);
  st.struct_size = sizeof st;
  sr_sink_error err;
  init_error(&err);
  int32_t rc = lib->vt.get_stats(as_sink(s), &st, &err);
  if (rc != SR_SINK_OK) {
    throw_error(env, lib, rc, &err);
    return;
  }
  jlong v[] = {(jlong)st.rows_written,   (jlong)st.rows_deleted,  (jlong)st.bytes_written,
               (jlong)st.rows_loaded,    (jlong)st.rows_filtered, (jlong)st.bytes_sent,
               (jlong)st.loads,          (jlong)st.load_failures, (jlong)st.retries,
               (jlong)st.txns_begun,     (jlong)st.txns_prepared, (jlong)st.txns_committed,
               (jlong)st.txns_aborted,   (jlong)st.buffered_bytes, (jlong)st.last_load_ms,
               (jlong)st.server_load_ms, (jlong)st.rows_rejected, (jlong)st.throttle_episodes,
               (jlong)st.throttle_wait_ms, (jlong)st.fe_failovers};
  (*env)->SetLongArrayRegion(env, out, 0, (jsize)(sizeof v / sizeof v[0]), v);
}

/* ---- Test hooks ---------------------------------------------------------------------------------- */

static int g_fake_releases;
static const char g_fake_token[] = "{\"v\":1,\"txns\":[]}";
static void fake_release(sr_sink_token *t) {
  ++g_fake_releases;
  t->release = NULL;
}

/* Runs take_token on a library-style token whose release counts its calls.
 * counters[0] = releases during the call, counters[1] = 1 if release is NULL afterwards. */
static jbyteArray JNICALL n_test_take_fake_token(JNIEnv *env, jclass cls, jintArray counters) {
  (void)cls;
  sr_sink_token tok;
  memset(&tok, 0, sizeof tok);
  tok.struct_size = sizeof tok;
  tok.data = (const uint8_t *)g_fake_token;
  tok.len = sizeof g_fake_token - 1;
  tok.release = fake_release;
  int before = g_fake_releases;
  jbyteArray out = take_token(env, &tok);
  jint v[2] = {g_fake_releases - before, tok.release == NULL};
  (*env)->SetIntArrayRegion(env, counters, 0, 2, v);
  return out;
}

/* ---- Registration ------------------------------------------------------------------------------- */

static const JNINativeMethod g_methods[] = {
    {"load", "([BII)J", (void *)n_load},
    {"vtableSize10", "()I", (void *)n_vtable_size_10},
    {"abiVersion", "(J)I", (void *)n_abi_version},
    {"versionString", "(J)[B", (void *)n_version_string},
    {"buildInfo", "(J)[B", (void *)n_build_info},
    {"statusName", "(JI)[B", (void *)n_status_name},
    {"rawGetVtable", "(JI)I", (void *)n_raw_get_vtable},
    {"connectorNew", "(JILio/github/srsink/LogBridge;)J", (void *)n_connector_new},
    {"connectorRegister",
     "(JJ[B[BLio/github/srsink/CredentialsBridge;Lio/github/srsink/RejectedRowsBridge;Z)V",
     (void *)n_connector_register},
    {"connectorFree", "(JJ)V", (void *)n_connector_free},
    {"commitToken", "(JJ[B)V", (void *)n_commit_token},
    {"tokenInspect", "(J[B[J)V", (void *)n_token_inspect},
    {"open", "(JJ[B[[B[B[B[[B)J", (void *)n_open},
    {"write", "(JJLjava/nio/ByteBuffer;[I[BI)V", (void *)n_write},
    {"batchProbe", "(Ljava/nio/ByteBuffer;[I[BI)J", (void *)n_batch_probe},
    {"onWatermark", "(JJJ)V", (void *)n_on_watermark},
    {"onCheckpoint", "(JJJ)[B", (void *)n_on_checkpoint},
    {"commit", "(JJJ)V", (void *)n_commit},
    {"abort", "(JJJ)V", (void *)n_abort},
    {"cancel", "(JJ)V", (void *)n_cancel},
    {"close", "(JJ)V", (void *)n_close},
    {"stats", "(JJ[J)V", (void *)n_stats},
    {"testTakeFakeToken", "([I)[B", (void *)n_test_take_fake_token},
};

static jmethodID method_of(JNIEnv *env, const char *cls_name, const char *name, const char *sig) {
  jclass cls = (*env)->FindClass(env, cls_name);
  if (!cls) return NULL;
  jmethodID m = (*env)->GetMethodID(env, cls, name, sig);
  (*env)->DeleteLocalRef(env, cls);
  return m;
}

/* Runs in the class loader that loaded NativeBridge, so FindClass finds the binding's classes;
 * everything the callbacks need is looked up here (library threads see only the system loader). */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  g_vm = vm;
  if (pthread_key_create(&g_detach_key, detach_at_thread_exit) != 0) return JNI_ERR;
  jclass ex = (*env)->FindClass(env, "io/github/srsink/SinkException");
  if (!ex) return JNI_ERR;
  g_sink_exception = (jclass)(*env)->NewGlobalRef(env, ex);
  g_from_native = (*env)->GetStaticMethodID(env, ex, "fromNative", "(I[BII[B[B)Lio/github/srsink/SinkException;");
  g_log_line = method_of(env, "io/github/srsink/LogBridge", "line", "(I[B)V");
  g_credentials_get = method_of(env, "io/github/srsink/CredentialsBridge", "get", "([BZ)[B");
  g_rejected_accept = method_of(env, "io/github/srsink/RejectedRowsBridge", "accept", "([B[B[B[B)I");
  if (!g_from_native || !g_log_line || !g_credentials_get || !g_rejected_accept) return JNI_ERR;
  jclass bridge = (*env)->FindClass(env, BRIDGE);
  if (!bridge) return JNI_ERR;
  if ((*env)->RegisterNatives(env, bridge, g_methods, (jint)(sizeof g_methods / sizeof g_methods[0])) != 0)
    return JNI_ERR;
  return JNI_VERSION_1_8;
}
