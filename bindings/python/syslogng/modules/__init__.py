"""syslogng.modules: where syslog-ng installs its own and third-party Python
modules, as ``syslogng.modules.<name>``.

This package spans every ``<dir>/syslogng/modules`` for every ``<dir>`` on
sys.path — libpydest's own, a destination's python-path(), a virtualenv's
site-packages — so a module placed in ``<dir>/syslogng/modules/example/``
imports as ``syslogng.modules.example`` (class("syslogng.modules.example.
ExampleDestination")). ``__path__`` is recomputed from sys.path on every
import, so directories added later count too.
"""

import os as _os
import sys as _sys


class _ModulesPath:
    """A live ``__path__``: the existing ``<dir>/syslogng/modules`` folders
    of sys.path, in sys.path order, after any directory added explicitly."""

    def __init__(self, first):
        self._added = list(first)

    def _dirs(self):
        out = []
        candidates = list(self._added)
        for entry in list(_sys.path):
            if isinstance(entry, str):
                candidates.append(_os.path.join(entry or _os.curdir,
                                                "syslogng", "modules"))
        for d in candidates:
            d = _os.path.abspath(d)
            if d not in out and _os.path.isdir(d):
                out.append(d)
        return out

    def __iter__(self):
        return iter(self._dirs())

    def __len__(self):
        return len(self._dirs())

    def __getitem__(self, index):
        return self._dirs()[index]

    def __contains__(self, item):
        return item in self._dirs()

    def append(self, directory):
        self._added.append(directory)

    def extend(self, directories):
        self._added.extend(directories)

    def insert(self, index, directory):
        self._added.insert(index, directory)

    def __repr__(self):
        return "_ModulesPath(%r)" % (self._dirs(),)


__path__ = _ModulesPath(list(__path__))  # noqa: F821  (set by the import system)
