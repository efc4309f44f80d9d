"""Exceptions: one class per status code, all carrying what sr_sink_error carries."""

from __future__ import annotations

from . import _abi


class SinkError(Exception):
    """A failed call. Attributes mirror sr_sink_error:

    code         the status code (int, e.g. 2)
    code_name    its name ("SR_SINK_E_CONFIG")
    message      the library's message (never contains a password)
    retryable    the same call may succeed if repeated later
    fatal        the sink is unusable: close it (and restore, in on_checkpoint mode)
    data         caused by the rows themselves; retrying the same rows fails again
    label        the StarRocks label involved, or None
    http_status  the last HTTP status involved, or None
    """

    def __init__(self, code: int, message: str, *, code_name: str | None = None,
                 flags: int = 0, label: str | None = None, http_status: int | None = None):
        self.code = code
        self.code_name = code_name or _abi.STATUS_NAMES.get(code, "SR_SINK_E_UNKNOWN")
        self.message = message
        self.flags = flags
        self.retryable = bool(flags & _abi.ERROR_F_RETRYABLE)
        self.fatal = bool(flags & _abi.ERROR_F_FATAL)
        self.data = bool(flags & _abi.ERROR_F_DATA)
        self.label = label or None
        self.http_status = http_status or None
        super().__init__(self.__str__())

    def __str__(self) -> str:
        extra = []
        if self.label:
            extra.append(f"label={self.label}")
        if self.http_status:
            extra.append(f"http_status={self.http_status}")
        for flag in ("retryable", "fatal", "data"):
            if getattr(self, flag):
                extra.append(flag)
        tail = f" [{', '.join(extra)}]" if extra else ""
        return f"{self.code_name}: {self.message}{tail}"

    def __reduce__(self):  # picklable across processes (multiprocessing hosts)
        return (_rebuild, (self.code, self.message, self.code_name, self.flags, self.label,
                           self.http_status))


def _rebuild(code, message, code_name, flags, label, http_status):
    return error_for(code, message, code_name=code_name, flags=flags, label=label,
                     http_status=http_status)


class InvalidArgumentError(SinkError, ValueError):
    """SR_SINK_E_INVALID_ARGUMENT: a bad argument (also raised by the binding itself)."""


class ConfigError(SinkError):
    """SR_SINK_E_CONFIG: the options document is invalid; the message names the key."""


class NoRouteError(SinkError):
    """SR_SINK_E_NO_ROUTE: no registered glob matches the table."""


class SchemaError(SinkError):
    """SR_SINK_E_SCHEMA: table missing, not a Primary Key table, or a column problem."""


class DataError(SinkError):
    """SR_SINK_E_DATA: a malformed row, or StarRocks rejected rows of a load."""


class AuthError(SinkError):
    """SR_SINK_E_AUTH: credentials refused, or the credentials callback failed."""


class NetworkError(SinkError):
    """SR_SINK_E_NETWORK: connection failed on every URL after all retries."""


class SinkTimeoutError(SinkError, TimeoutError):
    """SR_SINK_E_TIMEOUT: a deadline passed."""


class LoadError(SinkError):
    """SR_SINK_E_LOAD: StarRocks refused a load (the message is StarRocks' own)."""


class TransactionError(SinkError):
    """SR_SINK_E_TXN: begin/prepare/commit/rollback failed."""


class StateError(SinkError):
    """SR_SINK_E_STATE: not valid now (also: the sink or connector is closed)."""


class NotSupportedError(SinkError):
    """SR_SINK_E_NOT_SUPPORTED."""


class RetryLaterError(SinkError):
    """SR_SINK_E_RETRY_LATER: memory budget full and write_timeout_ms is 0."""


class CancelledError(SinkError):
    """SR_SINK_E_CANCELLED: Sink.cancel() interrupted the call."""


class RecoveryError(SinkError):
    """SR_SINK_E_RECOVERY: recovery found data it cannot make exactly-once."""


class VersionError(SinkError):
    """SR_SINK_E_VERSION: ABI major version mismatch."""


class NoMemoryError(SinkError, MemoryError):
    """SR_SINK_E_NO_MEMORY."""


class InternalError(SinkError):
    """SR_SINK_E_INTERNAL: a bug in the library."""


_BY_CODE = {
    _abi.E_INVALID_ARGUMENT: InvalidArgumentError,
    _abi.E_CONFIG: ConfigError,
    _abi.E_NO_ROUTE: NoRouteError,
    _abi.E_SCHEMA: SchemaError,
    _abi.E_DATA: DataError,
    _abi.E_AUTH: AuthError,
    _abi.E_NETWORK: NetworkError,
    _abi.E_TIMEOUT: SinkTimeoutError,
    _abi.E_LOAD: LoadError,
    _abi.E_TXN: TransactionError,
    _abi.E_STATE: StateError,
    _abi.E_NOT_SUPPORTED: NotSupportedError,
    _abi.E_RETRY_LATER: RetryLaterError,
    _abi.E_CANCELLED: CancelledError,
    _abi.E_RECOVERY: RecoveryError,
    _abi.E_VERSION: VersionError,
    _abi.E_NO_MEMORY: NoMemoryError,
    _abi.E_INTERNAL: InternalError,
}


def error_for(code: int, message: str, **kwargs) -> SinkError:
    """The exception instance for a status code (SinkError itself for unknown codes)."""
    return _BY_CODE.get(code, SinkError)(code, message, **kwargs)


def from_struct(code: int, err: _abi.SrError, code_name: str | None = None) -> SinkError:
    """Converts a filled sr_sink_error. `code` is the returned status (authoritative)."""
    return error_for(
        code,
        err.message.decode("utf-8", "replace") or "(no message)",
        code_name=code_name,
        flags=err.flags,
        label=err.label.decode("utf-8", "replace"),
        http_status=err.http_status,
    )
