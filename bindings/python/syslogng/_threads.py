"""Threads a destination starts itself belong to that destination.

syslog-ng's internal log takes messages from any thread. In a libpydest
host, Logger() and the ``logging`` bridge find the destination whose method
is running on the current thread; a thread the destination started itself
(``concurrent.futures.ThreadPoolExecutor``, ``threading.Timer``, a plain
``threading.Thread``) has none. Installed once when the package is imported
inside a host: ``Thread.start()`` called during a destination's method
records that destination, and the new thread runs with it as current, so
its log records reach that destination's log sink (not bare stderr) and
``get_installation_path_for("${localstatedir}")`` answers with its
state_dir. Threads started outside a destination's call are unchanged.
"""

import functools
import threading

from syslogng._backend import impl as _impl

_MARK = "_pydest_destination_threads"


def install():
    cls = threading.Thread
    if getattr(cls, _MARK, False):
        return
    original_start = cls.start
    original_bootstrap_inner = cls._bootstrap_inner

    @functools.wraps(original_start)
    def start(self):
        self._pydest_destination = _impl._capture_destination()
        return original_start(self)

    @functools.wraps(original_bootstrap_inner)
    def _bootstrap_inner(self):
        destination = getattr(self, "_pydest_destination", None)
        if destination is None:
            return original_bootstrap_inner(self)
        with destination:
            return original_bootstrap_inner(self)

    cls.start = start
    cls._bootstrap_inner = _bootstrap_inner
    setattr(cls, _MARK, True)
