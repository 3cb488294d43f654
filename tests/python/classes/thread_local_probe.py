"""Destinations for tests/python/thread_state_test.cc: what threading.local
data a worker thread sees from one batch to the next. Results go to module
globals, which the C++ test reads back with eval() (the host and the test
share the one interpreter)."""

import threading

from syslogng import LogDestination

# (id(instance), threading.get_ident(), value seen in the local) per send().
seen = []
# Names of Sentinel objects whose __del__ ran.
collected = []
# Workers-test gate: send() of the first message of a round waits here, so
# the round's second message must go to the other worker.
holding = threading.Event()
release = threading.Event()

# Module-level locals: each thread must still see its own data, and they
# outlive every destination instance, so only the end of a thread's Python
# state frees what a thread stored in them.
shared_local = threading.local()
sentinel_local = threading.local()


def reset():
    seen.clear()
    collected.clear()
    holding.clear()
    release.clear()


def _text(msg):
    """MESSAGE of a dict (str or bytes keys) or of a LogMessage."""
    for key in ("MESSAGE", b"MESSAGE"):
        try:
            value = msg[key]
        except (KeyError, TypeError):
            continue
        return value.decode() if isinstance(value, bytes) else str(value)
    return ""


class Sentinel:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        collected.append(self.name)


class CountingDest(LogDestination):
    """A counter in a threading.local made in init() (on the host's
    thread); send() records the worker thread's value and increments it."""

    def init(self, options):
        self.local = threading.local()
        return True

    def send(self, msg):
        n = getattr(self.local, "n", 0)
        seen.append((id(self), threading.get_ident(), n))
        self.local.n = n + 1
        return True


class GatedDest(LogDestination):
    """Counts in the module-level local. A message whose text starts with
    "hold" makes send() wait for `release` (after setting `holding`)."""

    def send(self, msg):
        n = getattr(shared_local, "n", 0)
        seen.append((id(self), threading.get_ident(), n))
        shared_local.n = n + 1
        if _text(msg).startswith("hold"):
            holding.set()
            release.wait(30)
        return True


class SentinelDest(LogDestination):
    """Keeps a Sentinel in the worker thread's slot of the module-level
    sentinel_local, made on its first send()."""

    def send(self, msg):
        if not hasattr(sentinel_local, "sentinel"):
            sentinel_local.sentinel = Sentinel("worker-local")
        return True
