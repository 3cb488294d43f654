"""syslogng.template: LogTemplate, LogTemplateOptions, LogTemplateException
and the time zone selectors LTZ_LOCAL and LTZ_SEND."""

from syslogng._backend import impl as _impl

LogTemplate = _impl.LogTemplate
LogTemplateOptions = _impl.LogTemplateOptions
LogTemplateException = _impl.LogTemplateException
LTZ_LOCAL = _impl.LTZ_LOCAL
LTZ_SEND = _impl.LTZ_SEND

__all__ = ["LogTemplate", "LogTemplateOptions", "LogTemplateException",
           "LTZ_LOCAL", "LTZ_SEND"]
