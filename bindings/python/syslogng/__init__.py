"""syslog-ng's Python API, as libpydest provides it: every public name of
syslog-ng 4.x's and AxoSyslog's ``syslogng`` package, with the same
submodules (dest, source, parser, template, message, logger, persist,
confgen, reloc, modules).

Inside a libpydest host the types come from the embedded C++ module
``_syslogng``. Imported from a plain ``python3`` (for a destination's unit
tests), the same names are pure-Python stand-ins (syslogng._standalone) with
the same behaviour where it matters to a destination: LogMessage holds bytes
values, Persist keeps the same JSON files libpydest writes, LogTemplate
expands ``$NAME`` and ``${NAME}`` references, Logger writes to ``logging``.

libpydest runs destinations. LogParser, LogSource, LogFetcher and the ack
trackers import and can be subclassed; what only works inside syslog-ng
(LogSource.post_message(), ...) raises NotImplementedError saying so.
docs/python-api.md lists every name and what it does here.

LogDestination is syslog-ng 4.x's base class. Plain 3.x classes that do not
derive from it work too, whatever the configuration's @version (libpydest
warns under @version >= 4.0 where syslog-ng refuses them).
"""

from syslogng._backend import EMBEDDED  # noqa: F401

if EMBEDDED:
    from syslogng import _threads

    _threads.install()
from syslogng.dest import LogDestination, LogDestinationResult
from syslogng.source import (
    BatchedAckTracker,
    ConsecutiveAckTracker,
    InstantAckTracker,
    LogFetcher,
    LogFetcherResult,
    LogSource,
)
from syslogng.parser import LogParser
from syslogng.template import (
    LTZ_LOCAL,
    LTZ_SEND,
    LogTemplate,
    LogTemplateException,
    LogTemplateOptions,
)
from syslogng.message import LogMessage
from syslogng.logger import Logger
from syslogng.persist import Persist
from syslogng.confgen import register_config_generator
from syslogng.reloc import get_installation_path_for

__all__ = [
    "LogDestination",
    "LogDestinationResult",
    "LogSource",
    "LogFetcher",
    "LogFetcherResult",
    "InstantAckTracker",
    "ConsecutiveAckTracker",
    "BatchedAckTracker",
    "LogParser",
    "LogTemplate",
    "LogTemplateOptions",
    "LogTemplateException",
    "LTZ_LOCAL",
    "LTZ_SEND",
    "LogMessage",
    "Logger",
    "Persist",
    "register_config_generator",
    "get_installation_path_for",
]
