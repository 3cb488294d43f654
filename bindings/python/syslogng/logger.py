"""syslogng.logger: Logger, and the bridge from Python's ``logging`` to the
host's log that syslog-ng 4.x installs: inside a host, records of any logger
reach the destination's log sink as "python-<logger name>: <message>"."""

import logging

from syslogng._backend import EMBEDDED, impl as _impl

Logger = _impl.Logger
FAKE_LOGGER = not EMBEDDED

__all__ = ["Logger", "SyslogNGInternalLogHandler", "setup_logging"]


class SyslogNGInternalLogHandler(logging.Handler):
    """Turns `logging` records into Logger() calls at the matching level."""

    def emit(self, record):
        try:
            text = self.format(record)
            logger = Logger()
            if record.levelno >= logging.ERROR:
                logger.error(text)
            elif record.levelno >= logging.WARNING:
                logger.warning(text)
            elif record.levelno >= logging.INFO:
                logger.info(text)
            elif record.levelno >= logging.DEBUG:
                logger.debug(text)
            else:
                logger.trace(text)
        except Exception:  # never let logging break a destination
            self.handleError(record)


def setup_logging():
    """Adds the bridge to the root logger (once)."""
    root = logging.getLogger()
    if any(isinstance(h, SyslogNGInternalLogHandler) for h in root.handlers):
        return
    # A host that configured Python logging itself keeps its root level;
    # otherwise everything reaches the host's log sink, which filters.
    if not root.handlers:
        root.setLevel(logging.DEBUG)
    handler = SyslogNGInternalLogHandler()
    handler.setFormatter(logging.Formatter("python-%(name)s: %(message)s"))
    root.addHandler(handler)


if EMBEDDED:
    setup_logging()
