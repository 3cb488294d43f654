"""syslogng.reloc: get_installation_path_for(template) resolves ${prefix},
${datadir}, ${localstatedir}, ... with libpydest's paths
(docs/python-api.md)."""

from syslogng._backend import impl as _impl

get_installation_path_for = _impl.get_installation_path_for

__all__ = ["get_installation_path_for"]
