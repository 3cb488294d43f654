"""syslogng.parser: LogParser, the base class of a python() parser.

libpydest runs destinations only: a parser class imports and can be
subclassed (a module may define one beside its destination), but nothing
calls it."""

from syslogng._backend import impl as _impl

__all__ = ["LogParser"]


class LogParser(_impl.LogParser):
    """Base class of a syslog-ng Python parser."""

    def init(self, options):
        """Called with the options() dict; return False to fail."""
        return True

    def deinit(self):
        """Called when the parser stops."""

    def parse(self, msg):
        """Parse `msg` (a LogMessage) in place; return False to drop it."""
        raise NotImplementedError("parse() must be implemented by the parser")
