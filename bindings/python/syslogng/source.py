"""syslogng.source: LogSource, LogFetcher, LogFetcherResult and the ack
trackers a source names in its ``ack_tracker`` attribute.

libpydest runs destinations only: these classes import and can be
subclassed, and what needs syslog-ng's source machinery
(LogSource.post_message(), close_batch()) raises NotImplementedError saying
so."""

from syslogng._backend import impl as _impl

LogFetcherResult = _impl.LogFetcherResult

__all__ = [
    "LogSource",
    "LogFetcher",
    "LogFetcherResult",
    "InstantAckTracker",
    "ConsecutiveAckTracker",
    "BatchedAckTracker",
]


class LogSource(_impl.LogSource):
    """Base class of an asynchronous (push) source: run() posts messages
    with post_message() until request_exit() is called."""

    flags = {}
    parse_options = None

    def init(self, options):
        return True

    def deinit(self):
        pass

    def run(self):
        """The source's main loop, on a thread of its own in syslog-ng."""
        raise NotImplementedError("run() must be implemented by the source")

    def request_exit(self):
        """Asks run() to return."""
        raise NotImplementedError("request_exit() must be implemented by the source")


class LogFetcher(_impl.LogFetcher):
    """Base class of a polling source: fetch() returns (result, message)."""

    ERROR = FETCH_ERROR = LogFetcherResult.ERROR
    NOT_CONNECTED = FETCH_NOT_CONNECTED = LogFetcherResult.NOT_CONNECTED
    SUCCESS = FETCH_SUCCESS = LogFetcherResult.SUCCESS
    TRY_AGAIN = FETCH_TRY_AGAIN = LogFetcherResult.TRY_AGAIN
    NO_DATA = FETCH_NO_DATA = LogFetcherResult.NO_DATA

    flags = {}
    parse_options = None

    def init(self, options):
        return True

    def deinit(self):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def fetch(self):
        """Returns (LogFetcherResult, LogMessage or None)."""
        raise NotImplementedError("fetch() must be implemented by the fetcher")

    def request_exit(self):
        """Asks a blocking fetch() to return (optional)."""


class InstantAckTracker(_impl.InstantAckTracker):
    """ack_callback(bookmark_data) for every acknowledged message."""

    def __init__(self, ack_callback):
        super().__init__(ack_callback=ack_callback)


class ConsecutiveAckTracker(_impl.ConsecutiveAckTracker):
    """ack_callback(bookmark_data) for the last of a run of acknowledged
    messages."""

    def __init__(self, ack_callback):
        super().__init__(ack_callback=ack_callback)


class BatchedAckTracker(_impl.BatchedAckTracker):
    """batched_ack_callback([bookmark_data, ...]) every `batch_size`
    messages or `timeout` milliseconds."""

    def __init__(self, timeout, batch_size, batched_ack_callback):
        super().__init__(timeout=timeout, batch_size=batch_size,
                         batched_ack_callback=batched_ack_callback)
