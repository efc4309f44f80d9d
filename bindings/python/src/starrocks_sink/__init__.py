"""starrocks_sink: Python binding of libsr_sink, a StarRocks sink for stream engines.

Pure standard library (ctypes). The shared library is the wheel's own (starrocks_sink/
libsr_sink.so.1, loaded and checked at import), else $SR_SINK_LIBRARY, else the system's
libsr_sink.so.1 (loaded, and its ABI major version checked, on first use or with load_library()).
"""

from ._abi import (
    ABI_VERSION_MAJOR,
    ABI_VERSION_MINOR,
    LOG_DEBUG,
    LOG_ERROR,
    LOG_INFO,
    LOG_WARN,
    MODE_ON_CHECKPOINT,
    MODE_ON_WATERMARK,
    OP_DELETE,
    OP_UPSERT,
    AbiVersionError,
    Library,
    check_bundled_library,
    default_library,
    load_library,
    set_default_library,
)
from .connector import Connector, RejectedRow, Sink, SinkStats, TokenInfo, token_inspect
from .errors import (
    AuthError,
    CancelledError,
    ConfigError,
    DataError,
    InternalError,
    InvalidArgumentError,
    LoadError,
    NetworkError,
    NoMemoryError,
    NoRouteError,
    NotSupportedError,
    RecoveryError,
    RetryLaterError,
    SchemaError,
    SinkError,
    SinkTimeoutError,
    StateError,
    TransactionError,
    VersionError,
)
from .logging_bridge import python_logging

__version__ = "1.2.0"
check_bundled_library(__version__)


def library_version() -> str:
    """The loaded library's version string ("1.0.0")."""
    return default_library().version_string()


def status_name(code: int) -> str:
    """The library's name of a status code ("SR_SINK_E_CONFIG")."""
    return default_library().status_name(code)


__all__ = [
    "ABI_VERSION_MAJOR", "ABI_VERSION_MINOR", "LOG_DEBUG", "LOG_ERROR", "LOG_INFO", "LOG_WARN",
    "MODE_ON_CHECKPOINT", "MODE_ON_WATERMARK", "OP_DELETE", "OP_UPSERT", "AbiVersionError", "Library", "default_library", "load_library",
    "set_default_library", "Connector", "Sink", "SinkStats", "RejectedRow", "TokenInfo",
    "token_inspect", "AuthError", "CancelledError",
    "ConfigError", "DataError", "InternalError", "InvalidArgumentError", "LoadError",
    "NetworkError", "NoMemoryError", "NoRouteError", "NotSupportedError", "RecoveryError",
    "RetryLaterError", "SchemaError", "SinkError", "SinkTimeoutError", "StateError",
    "TransactionError", "VersionError", "python_logging", "library_version", "status_name",
]
