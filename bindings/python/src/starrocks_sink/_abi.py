"""ctypes mirror of abi/sr_sink.h (ABI 1.2) and the library loader.

Everything that crosses the boundary is declared here, field for field, with the header's
fixed-width types, so struct sizes match the C compiler's on every platform (checked by a test
that compiles the header). The library is reached through the function table that
``sr_sink_get_vtable`` fills: it is the one symbol a ``dlopen`` host needs, and the call itself
negotiates the ABI major version.

A library of an older minor version (1.0) fills a shorter table: the slots it does not have are
NULL (or beyond the struct_size it reports). Library.function() returns None for them, and the
binding raises NotSupportedError for that call only; everything else keeps working.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
    sizeof,
)

# ---- Version block -------------------------------------------------------------------------

ABI_VERSION_MAJOR = 1
ABI_VERSION_MINOR = 2


def abi_version(major: int, minor: int) -> int:
    """SR_SINK_ABI_VERSION layout: major in the high 16 bits, minor in the low 16."""
    return ((major & 0xFFFF) << 16) | (minor & 0xFFFF)


HOST_ABI_VERSION = abi_version(ABI_VERSION_MAJOR, ABI_VERSION_MINOR)

# ---- Status codes --------------------------------------------------------------------------

OK = 0
E_INVALID_ARGUMENT = 1
E_CONFIG = 2
E_NO_ROUTE = 3
E_SCHEMA = 4
E_DATA = 5
E_AUTH = 6
E_NETWORK = 7
E_TIMEOUT = 8
E_LOAD = 9
E_TXN = 10
E_STATE = 11
E_NOT_SUPPORTED = 12
E_RETRY_LATER = 13
E_CANCELLED = 14
E_RECOVERY = 15
E_VERSION = 16
E_NO_MEMORY = 17
E_INTERNAL = 18

# The names sr_sink_status_name() returns; used for errors the binding raises without calling the
# library (use after close, bad arguments) and when the library is not loaded.
STATUS_NAMES = {
    OK: "SR_SINK_OK",
    E_INVALID_ARGUMENT: "SR_SINK_E_INVALID_ARGUMENT",
    E_CONFIG: "SR_SINK_E_CONFIG",
    E_NO_ROUTE: "SR_SINK_E_NO_ROUTE",
    E_SCHEMA: "SR_SINK_E_SCHEMA",
    E_DATA: "SR_SINK_E_DATA",
    E_AUTH: "SR_SINK_E_AUTH",
    E_NETWORK: "SR_SINK_E_NETWORK",
    E_TIMEOUT: "SR_SINK_E_TIMEOUT",
    E_LOAD: "SR_SINK_E_LOAD",
    E_TXN: "SR_SINK_E_TXN",
    E_STATE: "SR_SINK_E_STATE",
    E_NOT_SUPPORTED: "SR_SINK_E_NOT_SUPPORTED",
    E_RETRY_LATER: "SR_SINK_E_RETRY_LATER",
    E_CANCELLED: "SR_SINK_E_CANCELLED",
    E_RECOVERY: "SR_SINK_E_RECOVERY",
    E_VERSION: "SR_SINK_E_VERSION",
    E_NO_MEMORY: "SR_SINK_E_NO_MEMORY",
    E_INTERNAL: "SR_SINK_E_INTERNAL",
}

ERROR_F_RETRYABLE = 0x1
ERROR_F_FATAL = 0x2
ERROR_F_DATA = 0x4

ERROR_MESSAGE_MAX = 1024
ERROR_LABEL_MAX = 136

LOG_ERROR = 1
LOG_WARN = 2
LOG_INFO = 3
LOG_DEBUG = 4

CREDENTIAL_USER_MAX = 256
CREDENTIAL_PASSWORD_MAX = 1024

OP_UPSERT = 0
OP_DELETE = 1

MODE_ON_CHECKPOINT = 0
MODE_ON_WATERMARK = 1

# ---- Structs -------------------------------------------------------------------------------


class SrError(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("code", c_int32),
        ("flags", c_uint32),
        ("http_status", c_int32),
        ("label", c_char * ERROR_LABEL_MAX),
        ("message", c_char * ERROR_MESSAGE_MAX),
    ]


# Callbacks are CFUNCTYPE: ctypes takes the GIL when a library thread calls them, and releases it
# around every call into the library, so a blocked host call never starves a callback.
LOG_FN = CFUNCTYPE(None, c_void_p, c_int32, c_char_p)
# user/password are library-owned output buffers: declared as void* so ctypes does not turn them
# into (immutable) bytes.
CREDENTIALS_FN = CFUNCTYPE(c_int32, c_void_p, c_char_p, c_int32, c_void_p, c_void_p)
USER_DATA_RELEASE_FN = CFUNCTYPE(None, c_void_p)


class SrHost(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("log_level", c_int32),
        ("log", LOG_FN),
        ("log_user_data", c_void_p),
    ]


class SrCredentials(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("reserved0", c_uint32),
        ("get", CREDENTIALS_FN),
        ("user_data", c_void_p),
        ("release", USER_DATA_RELEASE_FN),
    ]


class SrSlice(Structure):
    _fields_ = [("data", c_void_p), ("len", c_size_t)]


class SrBatch(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("reserved0", c_uint32),
        ("n_rows", c_size_t),
        ("rows", POINTER(SrSlice)),
        ("ops", c_void_p),
    ]


# ---- Arrow C Data Interface (since 1.2) -------------------------------------------------------
# The structs exactly as the Arrow specification declares them (the header carries them under
# the standard ARROW_C_DATA_INTERFACE guard). Producers (pyarrow, polars, ...) hand them to us
# in PyCapsules; write_arrow moves them into the library, which releases them.

ARROW_FLAG_DICTIONARY_ORDERED = 1
ARROW_FLAG_NULLABLE = 2
ARROW_FLAG_MAP_KEYS_SORTED = 4


class ArrowSchema(Structure):
    pass


ARROW_SCHEMA_RELEASE_FN = CFUNCTYPE(None, POINTER(ArrowSchema))

ArrowSchema._fields_ = [
    ("format", c_char_p),
    ("name", c_char_p),
    ("metadata", c_void_p),  # binary (length-prefixed pairs), not a NUL-terminated string
    ("flags", c_int64),
    ("n_children", c_int64),
    ("children", POINTER(POINTER(ArrowSchema))),
    ("dictionary", POINTER(ArrowSchema)),
    ("release", ARROW_SCHEMA_RELEASE_FN),
    ("private_data", c_void_p),
]


class ArrowArray(Structure):
    pass


ARROW_ARRAY_RELEASE_FN = CFUNCTYPE(None, POINTER(ArrowArray))

ArrowArray._fields_ = [
    ("length", c_int64),
    ("null_count", c_int64),
    ("offset", c_int64),
    ("n_buffers", c_int64),
    ("n_children", c_int64),
    ("buffers", POINTER(c_void_p)),
    ("children", POINTER(POINTER(ArrowArray))),
    ("dictionary", POINTER(ArrowArray)),
    ("release", ARROW_ARRAY_RELEASE_FN),
    ("private_data", c_void_p),
]


class SrOpenParams(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("n_columns", c_uint32),
        ("table", c_char_p),
        ("columns", POINTER(c_char_p)),
        ("instance_id", c_char_p),
        ("restore_token", c_void_p),
        ("restore_token_len", c_size_t),
        # 1.1: the host's primary key (0/NULL: not checked); a 1.0 library reads only the above.
        ("n_key_columns", c_uint32),
        ("reserved0", c_uint32),
        ("key_columns", POINTER(c_char_p)),
    ]


class SrToken(Structure):
    pass


TOKEN_RELEASE_FN = CFUNCTYPE(None, POINTER(SrToken))

SrToken._fields_ = [
    ("struct_size", c_uint32),
    ("reserved0", c_uint32),
    ("data", c_void_p),
    ("len", c_size_t),
    ("release", TOKEN_RELEASE_FN),
    ("private_data", c_void_p),
]

STATS_FIELDS = (
    "rows_written",
    "rows_deleted",
    "bytes_written",
    "rows_loaded",
    "rows_filtered",
    "bytes_sent",
    "loads",
    "load_failures",
    "retries",
    "txns_begun",
    "txns_prepared",
    "txns_committed",
    "txns_aborted",
    "buffered_bytes",
    "last_load_ms",
    "server_load_ms",
    "rows_rejected",  # since 1.1 (a 1.0 library leaves it 0)
    "throttle_episodes",  # since 1.2 (an older library leaves these 0)
    "throttle_wait_ms",
    "fe_failovers",
)


class SrStats(Structure):
    _fields_ = [("struct_size", c_uint32), ("reserved0", c_uint32)] + [
        (name, c_uint64) for name in STATS_FIELDS
    ]


class SrRejectedRow(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("reserved0", c_uint32),
        ("table", c_char_p),
        ("label", c_char_p),
        ("row", c_void_p),  # not NUL-terminated: read row_len bytes
        ("row_len", c_size_t),
        ("reason", c_char_p),
    ]


REJECTED_ROW_FN = CFUNCTYPE(c_int32, c_void_p, POINTER(SrRejectedRow))


class SrRejectedRows(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("reserved0", c_uint32),
        ("on_row", REJECTED_ROW_FN),
        ("user_data", c_void_p),
        ("release", USER_DATA_RELEASE_FN),
    ]


class SrRegistration(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("reserved0", c_uint32),
        ("glob", c_char_p),
        ("options_json", c_char_p),
        ("credentials", POINTER(SrCredentials)),
        ("rejected_rows", POINTER(SrRejectedRows)),
    ]


class SrTokenInfo(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("execution_mode", c_int32),
        ("checkpoint_id", c_int64),
        ("n_transactions", c_uint32),
        ("reserved0", c_uint32),
    ]


# Handles are opaque: void* on this side.
_H = c_void_p
_ERR = POINTER(SrError)


class SrVtable(Structure):
    _fields_ = [
        ("struct_size", c_uint32),
        ("abi_version", c_uint32),
        ("abi_version_fn", CFUNCTYPE(c_uint32)),
        ("version_string", CFUNCTYPE(c_char_p)),
        ("build_info", CFUNCTYPE(c_char_p)),
        ("status_name", CFUNCTYPE(c_char_p, c_int32)),
        ("connector_new", CFUNCTYPE(c_int32, POINTER(SrHost), POINTER(_H), _ERR)),
        (
            "connector_add_sink",
            CFUNCTYPE(c_int32, _H, c_char_p, c_char_p, POINTER(SrCredentials), _ERR),
        ),
        ("connector_free", CFUNCTYPE(None, _H)),
        ("open", CFUNCTYPE(c_int32, _H, POINTER(SrOpenParams), POINTER(_H), _ERR)),
        ("write", CFUNCTYPE(c_int32, _H, POINTER(SrBatch), _ERR)),
        ("on_watermark", CFUNCTYPE(c_int32, _H, c_int64, _ERR)),
        ("on_checkpoint", CFUNCTYPE(c_int32, _H, c_int64, POINTER(SrToken), _ERR)),
        ("commit", CFUNCTYPE(c_int32, _H, c_int64, _ERR)),
        ("abort", CFUNCTYPE(c_int32, _H, c_int64, _ERR)),
        ("cancel", CFUNCTYPE(None, _H)),
        ("close", CFUNCTYPE(c_int32, _H, _ERR)),
        ("get_stats", CFUNCTYPE(c_int32, _H, POINTER(SrStats), _ERR)),
        # Since 1.1: NULL (or beyond struct_size) in a 1.0 library.
        ("connector_register", CFUNCTYPE(c_int32, _H, POINTER(SrRegistration), _ERR)),
        ("commit_token", CFUNCTYPE(c_int32, _H, c_void_p, c_size_t, _ERR)),
        ("token_inspect", CFUNCTYPE(c_int32, c_void_p, c_size_t, POINTER(SrTokenInfo), _ERR)),
        # Since 1.2: struct ArrowSchema* / struct ArrowArray* are moved in (see write_arrow).
        ("write_arrow", CFUNCTYPE(c_int32, _H, POINTER(ArrowSchema), POINTER(ArrowArray),
                                  c_void_p, _ERR)),
    ]


# The 1.0 table ends where the first 1.1 slot begins: a library we accept fills at least that.
VTABLE_1_0_SIZE = SrVtable.connector_register.offset
# The slots a library may lack (added in a later minor), with the version that added them.
VTABLE_SINCE = {
    "connector_register": "1.1",
    "commit_token": "1.1",
    "token_inspect": "1.1",
    "write_arrow": "1.2",
}

# ---- Loading -------------------------------------------------------------------------------


class AbiVersionError(ImportError):
    """The library found has a different ABI major version than this binding speaks."""


class Library:
    """A loaded libsr_sink and its negotiated function table."""

    def __init__(self, path: str, cdll: ctypes.CDLL, vtable: SrVtable) -> None:
        self.path = path
        self.cdll = cdll
        self.vt = vtable
        self.abi_version = vtable.abi_version

    @property
    def abi_major(self) -> int:
        return self.abi_version >> 16

    @property
    def abi_minor(self) -> int:
        return self.abi_version & 0xFFFF

    def function(self, slot: str):
        """The library's function in vtable `slot`, or None when this library does not have it
        (an older minor version: the slot is NULL or beyond the table it filled)."""
        field = getattr(SrVtable, slot)
        if self.vt.struct_size < field.offset + field.size:
            return None
        fn = getattr(self.vt, slot)
        return fn if fn else None

    def version_string(self) -> str:
        return self.vt.version_string().decode("utf-8", "replace")

    def build_info(self) -> str:
        return self.vt.build_info().decode("utf-8", "replace")

    def status_name(self, code: int) -> str:
        return self.vt.status_name(code).decode("ascii", "replace")


def _format_version(v: int) -> str:
    return f"{v >> 16}.{v & 0xFFFF}"


def check_abi_version(library_abi_version: int, path: str,
                      host_abi_version: int = HOST_ABI_VERSION) -> None:
    """Refuses a library whose ABI major differs from the binding's (minor differences are fine:
    minors only append)."""
    if (library_abi_version >> 16) != (host_abi_version >> 16):
        raise AbiVersionError(
            f"libsr_sink at {path} has ABI version {_format_version(library_abi_version)} "
            f"(major {library_abi_version >> 16}); this starrocks_sink binding speaks ABI "
            f"{_format_version(host_abi_version)} (major {host_abi_version >> 16}): "
            f"install a libsr_sink with ABI major {host_abi_version >> 16} or a matching binding",
            path=path,
        )


def negotiate(cdll: ctypes.CDLL, path: str, host_abi_version: int = HOST_ABI_VERSION) -> SrVtable:
    """Fills the function table through sr_sink_get_vtable, refusing another ABI major."""
    try:
        get_vtable = cdll.sr_sink_get_vtable
    except AttributeError as e:
        raise AbiVersionError(f"{path} is not libsr_sink: no symbol sr_sink_get_vtable",
                              path=path) from e
    get_vtable.restype = c_int32
    get_vtable.argtypes = [c_uint32, POINTER(SrVtable), c_size_t]
    vt = SrVtable()
    rc = get_vtable(host_abi_version, ctypes.byref(vt), sizeof(vt))
    if rc == E_VERSION:
        lib_version = host_abi_version ^ 0xFFFF0000  # unknown: anything but ours
        try:
            fn = cdll.sr_sink_abi_version
            fn.restype = c_uint32
            fn.argtypes = []
            lib_version = fn()
        except AttributeError:
            pass
        check_abi_version(lib_version, path, host_abi_version)
        raise AbiVersionError(
            f"libsr_sink at {path} refused ABI major {host_abi_version >> 16}", path=path)
    if rc != OK:
        raise AbiVersionError(f"sr_sink_get_vtable in {path} failed with status {rc} "
                              f"({STATUS_NAMES.get(rc, 'SR_SINK_E_UNKNOWN')})", path=path)
    check_abi_version(vt.abi_version, path, host_abi_version)
    if vt.struct_size < VTABLE_1_0_SIZE:
        raise AbiVersionError(f"libsr_sink at {path} filled only {vt.struct_size} bytes of the "
                              f"{VTABLE_1_0_SIZE}-byte ABI 1.0 function table", path=path)
    return vt


def bundled_library() -> str | None:
    """The library a wheel carries next to this module (starrocks_sink/libsr_sink.so.1), named by
    the _bundled module the wheel build generates; None for a pure-Python install."""
    try:
        from . import _bundled  # type: ignore[attr-defined]
    except ImportError:
        return None
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), _bundled.LIBRARY)


def check_bundled_library(package_version: str) -> None:
    """At import of a wheel that carries the library: loads it and checks it is the one built
    with this package, so that a missing or replaced file fails the import in one sentence."""
    path = bundled_library()
    if path is None:
        return
    from . import _bundled  # type: ignore[attr-defined]
    reinstall = "reinstall the wheel (pip install --force-reinstall starrocks-sink)"
    if not os.path.exists(path):
        raise ImportError(f"starrocks_sink {package_version}: its bundled library {path} is "
                          f"missing; {reinstall}")
    try:
        lib = load_library(path)
    except ImportError as e:
        raise ImportError(f"starrocks_sink {package_version}: its bundled library {path} cannot "
                          f"be loaded ({e}); {reinstall}") from None
    got = lib.version_string()
    if got != _bundled.VERSION:
        raise ImportError(f"starrocks_sink {package_version}: its bundled library {path} is "
                          f"version {got}, not the {_bundled.VERSION} it was built with; "
                          f"{reinstall}")
    set_default_library(lib)


def _candidates(path: str | None) -> list[str]:
    if path:
        return [path]
    bundled = bundled_library()
    if bundled:  # a wheel's own library comes first: it is the one checked at import
        return [bundled]
    env = os.environ.get("SR_SINK_LIBRARY")
    if env:
        return [env]
    found = ctypes.util.find_library("sr_sink")
    names = [found] if found else []
    # The SONAME carries the major: never pick up an unversioned libsr_sink.so of another major.
    names.append(f"libsr_sink.so.{ABI_VERSION_MAJOR}")
    return names


def load_library(path: str | None = None, host_abi_version: int = HOST_ABI_VERSION) -> Library:
    """Loads libsr_sink: `path`, else the wheel's own (starrocks_sink/libsr_sink.so.1), else
    $SR_SINK_LIBRARY, else the system's libsr_sink.so.1."""
    errors = []
    for name in _candidates(path):
        try:
            cdll = ctypes.CDLL(name)
        except OSError as e:
            errors.append(f"{name}: {e}")
            continue
        return Library(name, cdll, negotiate(cdll, name, host_abi_version))
    raise ImportError("cannot load libsr_sink (set SR_SINK_LIBRARY to its path): "
                      + "; ".join(errors))


_default: Library | None = None
_default_lock = threading.Lock()


def default_library() -> Library:
    """The process-wide library, loaded (and version-checked) on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = load_library()
        return _default


def set_default_library(lib: Library | None) -> None:
    """Replaces the process-wide library (tests; hosts that load it from a custom path)."""
    global _default
    with _default_lock:
        _default = lib
