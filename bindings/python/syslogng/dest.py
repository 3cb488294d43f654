"""syslogng.dest: LogDestination, the base class of a Python destination
(syslog-ng 4.x), and LogDestinationResult."""

from syslogng._backend import impl as _impl

LogDestinationResult = _impl.LogDestinationResult

__all__ = ["LogDestination", "LogDestinationResult"]


class LogDestination(_impl.LogDestination):
    """Base class of a syslog-ng 4.x Python destination.

    The host sets DROP, ERROR, SUCCESS, QUEUED, NOT_CONNECTED, RETRY and MAX
    as plain ints on the subclass, plus template_options, seqnum and
    persist_name (on the class, or on each instance after __init__ under
    target(axosyslog)). Optional methods the host also calls when a class
    defines them: flush(), and the static generate_persist_name(options).
    stats_written_bytes_add(n) (4.8+) adds to the written-bytes counter.
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
