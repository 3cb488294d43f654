"""syslog-ng's Python API for destinations, as libpydest provides it.

Inside a libpydest host, LogMessage, LogTemplate, LogTemplateOptions,
LogTemplateException, Logger and Persist come from the embedded C++ module
``_syslogng``. Imported from a plain ``python3`` (for a destination's unit
tests), the same names are pure-Python stand-ins with the same behaviour
where it matters to a destination: LogMessage holds bytes values, Persist
keeps the same JSON files libpydest writes, LogTemplate expands ``$NAME``
and ``${NAME}`` references, Logger writes to the ``logging`` module.

LogDestination is syslog-ng 4.x's base class. Plain 3.x classes that do not
derive from it work too, whatever the configuration's @version (libpydest
warns under @version >= 4.0 where syslog-ng refuses them).

Inside a host, importing the package also bridges Python's ``logging`` to the
host's log, as syslog-ng 4.x does: records of any logger reach the
destination's log sink as "python-<logger name>: <message>".
"""

import enum as _enum
import logging as _logging

__all__ = [
    "LogDestination",
    "LogDestinationResult",
    "LogMessage",
    "LogTemplate",
    "LogTemplateOptions",
    "LogTemplateException",
    "LTZ_LOCAL",
    "LTZ_SEND",
    "Logger",
    "Persist",
]


class LogDestinationResult(_enum.IntEnum):
    """What send() and flush() return (syslog-ng 4.x)."""

    DROP = 0
    ERROR = 1
    EXPLICIT_ACK_MGMT = 2
    SUCCESS = 3
    QUEUED = 4
    NOT_CONNECTED = 5


class LogDestination:
    """Base class of a syslog-ng 4.x Python destination.

    The host sets DROP, ERROR, SUCCESS, QUEUED, NOT_CONNECTED, RETRY and MAX
    as plain ints on the subclass, plus persist_name (available from init()
    on), template_options and seqnum.
    """

    DROP = LogDestinationResult.DROP
    ERROR = LogDestinationResult.ERROR
    SUCCESS = LogDestinationResult.SUCCESS
    QUEUED = LogDestinationResult.QUEUED
    NOT_CONNECTED = LogDestinationResult.NOT_CONNECTED

    def init(self, options):
        """Called once with the options() dict; return False to fail."""
        return True

    def deinit(self):
        """Called when the destination stops."""
        return None

    def open(self):
        """Connect; return False to be retried after time-reopen()."""
        return True

    def close(self):
        """Disconnect."""
        return None

    def is_opened(self):
        """Whether the connection is up; checked before every send()."""
        return True

    def send(self, msg):
        """Deliver one message; return a LogDestinationResult or bool."""
        raise NotImplementedError("send() must be implemented by the destination")

    def stats_written_bytes_add(self, n):
        """Adds n to the destination's written-bytes counter (4.8+)."""
        if _written_bytes_add is not None:
            _written_bytes_add(n)


try:
    from _syslogng import (  # noqa: F401  (re-exported)
        LTZ_LOCAL,
        LTZ_SEND,
        Logger,
        LogMessage,
        LogTemplate,
        LogTemplateException,
        LogTemplateOptions,
        Persist,
    )

    from _syslogng import stats_written_bytes_add as _written_bytes_add

    EMBEDDED = True
except ImportError:
    _written_bytes_add = None

    from syslogng._standalone import (  # noqa: F401  (re-exported)
        LTZ_LOCAL,
        LTZ_SEND,
        Logger,
        LogMessage,
        LogTemplate,
        LogTemplateException,
        LogTemplateOptions,
        Persist,
    )

    EMBEDDED = False


class _HostLogHandler(_logging.Handler):
    """syslog-ng 4.x's bridge from Python's `logging` to the host's log:
    records become Logger() calls, formatted "python-<logger>: <message>"."""

    def emit(self, record):
        try:
            text = "python-%s: %s" % (record.name, self.format(record))
            logger = Logger()
            if record.levelno >= _logging.ERROR:
                logger.error(text)
            elif record.levelno >= _logging.WARNING:
                logger.warning(text)
            elif record.levelno >= _logging.INFO:
                logger.info(text)
            elif record.levelno >= _logging.DEBUG:
                logger.debug(text)
            else:
                logger.trace(text)
        except Exception:  # never let logging break a destination
            self.handleError(record)


def _install_logging_bridge():
    root = _logging.getLogger()
    if any(isinstance(h, _HostLogHandler) for h in root.handlers):
        return
    # A host that configured Python logging itself keeps its root level;
    # otherwise everything reaches the host's log sink, which filters.
    if not root.handlers:
        root.setLevel(_logging.DEBUG)
    root.addHandler(_HostLogHandler())


if EMBEDDED:
    _install_logging_bridge()
