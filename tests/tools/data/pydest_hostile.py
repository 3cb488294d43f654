"""Hostile Python destinations for tests/tools/pydest_hostile_e2e.py: classes
that reach for the process (signals, fork, os._exit, a crash in C code)
instead of only delivering messages. Each records what it did as JSON lines
in options("path" "...").
"""

import json
import os
import signal
import subprocess


def _text(msg):
    value = msg.get("MESSAGE", b"")
    return value.decode("utf-8", "replace") if isinstance(value, bytes) \
        else str(value)


class _Base(object):
    def init(self, options):
        self.options = options
        self.out = open(options["path"], "a")
        self.event("init")
        return True

    def event(self, name, **fields):
        fields["event"] = name
        fields["pid"] = os.getpid()
        self.out.write(json.dumps(fields, sort_keys=True) + "\n")
        self.out.flush()

    def deinit(self):
        self.event("deinit")

    def send(self, msg):
        self.event("send", msg=_text(msg))
        return True


def _on_signal(signum, frame):
    pass


class TakesStopSignals(_Base):
    """init() takes SIGTERM and SIGINT: ignored, or a Python function."""

    def init(self, options):
        _Base.init(self, options)
        how = options.get("how", "ignore")
        handler = signal.SIG_IGN if how == "ignore" else _on_signal
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)
        signal.siginterrupt(signal.SIGTERM, False)
        signal.pthread_sigmask(signal.SIG_UNBLOCK,
                               [signal.SIGTERM, signal.SIGINT])
        self.event("signals", seen=signal.getsignal(signal.SIGTERM) is handler)
        return True

    def send(self, msg):
        # The worker thread too: unblocking its stop signals must not work.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        return _Base.send(self, msg)


class ForksInSend(_Base):
    """Every send() forks; the child returns into the host like the parent.
    The parent waits for the child and records how it ended."""

    def send(self, msg):
        pid = os.fork()
        if pid == 0:
            self.event("child-send")
            return True
        _, status = os.waitpid(pid, 0)
        self.event("child-exit", code=os.waitstatus_to_exitcode(status))
        return _Base.send(self, msg)


class ForkChildExits(_Base):
    """A well-behaved fork: the child ends itself with os._exit(0)."""

    def send(self, msg):
        pid = os.fork()
        if pid == 0:
            os._exit(7)
        _, status = os.waitpid(pid, 0)
        self.event("child-exit", code=os.waitstatus_to_exitcode(status))
        return _Base.send(self, msg)


class RunsSubprocess(_Base):
    """send() runs a command and records its output."""

    def send(self, msg):
        text = _text(msg)
        r = subprocess.run(["/bin/echo", text], capture_output=True,
                           timeout=30)
        self.event("echo", out=r.stdout.decode().strip(), code=r.returncode)
        return _Base.send(self, msg)


class ExitsInSend(_Base):
    """The third send() calls os._exit(3)."""

    def init(self, options):
        self.count = 0
        return _Base.init(self, options)

    def send(self, msg):
        self.count += 1
        if self.count == 3:
            os._exit(3)
        return _Base.send(self, msg)


class CrashesInSend(_Base):
    """The second send() reads address 0 through ctypes (SIGSEGV)."""

    def init(self, options):
        self.count = 0
        return _Base.init(self, options)

    def send(self, msg):
        self.count += 1
        if self.count == 2:
            import ctypes
            ctypes.string_at(0)
        return _Base.send(self, msg)


class InitRaises(_Base):
    def init(self, options):
        raise RuntimeError("init failed on purpose")


class ExitsOnPoison(_Base):
    """send() of a message whose text contains "poison" calls os._exit(3),
    every time (isolation(process): a poison message)."""

    def send(self, msg):
        if "poison" in _text(msg):
            os._exit(3)
        return _Base.send(self, msg)


class HangsOnPoison(_Base):
    """send() of a message whose text contains "poison" never returns."""

    def send(self, msg):
        if "poison" in _text(msg):
            import time
            time.sleep(3600)
        return _Base.send(self, msg)
