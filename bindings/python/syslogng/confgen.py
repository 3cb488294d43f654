"""syslogng.confgen: register_config_generator(context, name,
config_generator) records a generator of configuration text for NAME(...)
in `context` ("destination", "source", ...), for libpydest's configuration
layer to read."""

from syslogng._backend import impl as _impl

register_config_generator = _impl.register_config_generator

__all__ = ["register_config_generator"]
