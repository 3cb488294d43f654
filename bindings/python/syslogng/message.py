"""syslogng.message: LogMessage."""

from syslogng._backend import impl as _impl

LogMessage = _impl.LogMessage

__all__ = ["LogMessage"]
