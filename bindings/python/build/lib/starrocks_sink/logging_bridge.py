"""Bridge from the library's log callback to Python's logging module."""

from __future__ import annotations

import logging
from typing import Callable

from . import _abi

_LEVELS = {
    _abi.LOG_ERROR: logging.ERROR,
    _abi.LOG_WARN: logging.WARNING,
    _abi.LOG_INFO: logging.INFO,
    _abi.LOG_DEBUG: logging.DEBUG,
}


def python_logging(logger: logging.Logger | str = "starrocks_sink.lib") -> Callable[[int, str], None]:
    """A log callback for Connector(log=...) that forwards library lines to `logger`
    (thread-safe, like the logging module)."""
    target = logging.getLogger(logger) if isinstance(logger, str) else logger

    def log(level: int, message: str) -> None:
        target.log(_LEVELS.get(level, logging.DEBUG), "%s", message)

    return log
