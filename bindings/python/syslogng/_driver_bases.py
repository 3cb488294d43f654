"""The driver base classes of syslog-ng 4.x's and AxoSyslog's `_syslogng`:
LogDestination, LogDestinationResult, LogParser, LogSource, LogFetcher,
LogFetcherResult, AckTrackerFactory and its Instant/Consecutive/Batched
variants, and Bookmark.

Not imported by name: its text is executed into the namespace that offers
these classes, the `_syslogng` module inside a host
(bindings/module/driver_bases.cc) and `_standalone` outside one, so there
is one definition of them. `stats_written_bytes_add` is that namespace's.
"""

import enum as _enum


def _outside_syslog_ng(what):
    raise NotImplementedError(
        "%s is only available inside syslog-ng: libpydest runs python() "
        "destinations, not sources, fetchers or parsers" % what)


class LogDestinationResult(_enum.IntEnum):
    DROP = 0
    ERROR = 1
    EXPLICIT_ACK_MGMT = 2
    SUCCESS = 3
    QUEUED = 4
    NOT_CONNECTED = 5


class LogDestination:
    """The base of syslogng.LogDestination."""

    def stats_written_bytes_add(self, n):
        """Adds n to the destination's written-bytes counter (4.8+)."""
        stats_written_bytes_add(n)


class LogParser:
    """The base of syslogng.LogParser; libpydest does not run parsers."""


class LogFetcherResult(_enum.IntEnum):
    ERROR = 0
    NOT_CONNECTED = 1
    SUCCESS = 2
    TRY_AGAIN = 3
    NO_DATA = 4


class LogSource:
    """The base of syslogng.LogSource; libpydest does not run sources."""

    def post_message(self, msg):
        _outside_syslog_ng("LogSource.post_message()")

    def close_batch(self):
        _outside_syslog_ng("LogSource.close_batch()")

    def set_transport_name(self, name):
        self.transport_name = name


class LogFetcher:
    """The base of syslogng.LogFetcher; libpydest does not run fetchers."""

    def set_transport_name(self, name):
        self.transport_name = name


class Bookmark:
    """A source's position: data, and save(data) called once acknowledged."""

    def __init__(self, data=None, save=None):
        self.data = data
        self.save = save


class AckTrackerFactory:
    """The base of the ack trackers a source's ack_tracker attribute names."""


def _callable(name, value):
    if not callable(value):
        raise TypeError("A callable object is expected (%s)" % name)
    return value


class InstantAckTrackerFactory(AckTrackerFactory):
    def __init__(self, ack_callback):
        self.ack_callback = _callable("ack_callback", ack_callback)


class ConsecutiveAckTrackerFactory(AckTrackerFactory):
    def __init__(self, ack_callback):
        self.ack_callback = _callable("ack_callback", ack_callback)


class BatchedAckTrackerFactory(AckTrackerFactory):
    def __init__(self, timeout, batch_size, batched_ack_callback):
        self.timeout = int(timeout)
        self.batch_size = int(batch_size)
        self.batched_ack_callback = _callable("batched_ack_callback",
                                              batched_ack_callback)


# syslog-ng's module names the trackers without "Factory".
InstantAckTracker = InstantAckTrackerFactory
ConsecutiveAckTracker = ConsecutiveAckTrackerFactory
BatchedAckTracker = BatchedAckTrackerFactory
