"""syslogng.persist: Persist(persist_name, defaults=None), durable values
per name."""

from syslogng._backend import impl as _impl

Persist = _impl.Persist

__all__ = ["Persist"]
