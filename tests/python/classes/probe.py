"""Destinations used by tests/python: each records what it saw in module
globals so the C++ test can read it back with eval()."""

import enum
import sys

from syslogng import LogDestination, Logger, Persist, LogTemplate

events = []     # (method, detail) in call order
received = []   # what send() got


class Result(enum.IntEnum):
    SUCCESS = 3
    QUEUED = 4


# send() return values by name (options "ret").
RETURNS = {
    "True": True, "False": False, "None": None, "-1": -1, "1.0": 1.0,
    "x": "x", "enum_success": Result.SUCCESS, "enum_queued": Result.QUEUED,
    "big": 2 ** 80,
}
for _i in range(8):
    RETURNS[str(_i)] = _i


class ResultDest(LogDestination):
    def init(self, options):
        self.ret = options.get("ret", "True")
        return True

    def send(self, msg):
        if self.ret == "raise":
            raise RuntimeError("send raised on purpose")
        if self.ret == "exit":
            sys.exit(3)
        if self.ret == "keyboard":
            raise KeyboardInterrupt()
        return RETURNS[self.ret]

    def flush(self):
        return RETURNS[self.ret] if self.ret in RETURNS else None


class Recorder(LogDestination):
    def init(self, options):
        events.append(("init", dict(options)))
        events.append(("persist_name", self.persist_name))
        return True

    def open(self):
        events.append(("open", None))
        return True

    def close(self):
        events.append(("close", None))

    def send(self, msg):
        received.append(msg)
        return True

    def deinit(self):
        events.append(("deinit", None))


class PlainRecorder:
    """A 3.x-style class: no base, init() without options (the tutorial)."""

    def init(self):
        events.append(("plain-init", None))
        return True

    def send(self, msg):
        received.append(msg)
        return self.SUCCESS


class InitFalse(LogDestination):
    def init(self, options):
        return False


class InitNone(LogDestination):
    def init(self, options):
        pass


class InitRaise(LogDestination):
    def init(self, options):
        raise ValueError("init raised on purpose")


class NoSend:
    def init(self, options):
        return True


class CtorRaise(LogDestination):
    def __init__(self):
        raise RuntimeError("constructor raised on purpose")


class OpenNone(LogDestination):
    def open(self):
        events.append(("open", None))

    def send(self, msg):
        return True


class OpenFalse(LogDestination):
    def open(self):
        return False

    def send(self, msg):
        return True


class IsOpenedFalse(LogDestination):
    def is_opened(self):
        return False

    def send(self, msg):
        return True


class NoOptionalMethods:
    def send(self, msg):
        return True


class Mutator(LogDestination):
    """Changes what it is given; the host must not care."""

    def send(self, msg):
        if isinstance(msg, dict):
            msg["added"] = 1
            msg.clear()
        else:
            try:
                msg["MESSAGE"] = "changed"
            except TypeError as e:
                events.append(("setitem", str(e)))
            try:
                msg.set_pri(1)
            except TypeError as e:
                events.append(("set_pri", str(e)))
        received.append(msg)
        return True


class LoggingDest(LogDestination):
    def init(self, options):
        self.logger = Logger()
        self.logger.warning("hello from init")
        return True

    def send(self, msg):
        Logger().error("send got " + msg["MESSAGE"].decode())
        self.logger.info("info line")
        return True


class PersistDest(LogDestination):
    def init(self, options):
        self.state = Persist(self.persist_name, defaults={"count": 0})
        return True

    def send(self, msg):
        self.state["count"] = self.state["count"] + 1
        self.state["last"] = msg["MESSAGE"]
        self.state["name"] = "x"
        return True


class TemplateDest(LogDestination):
    def init(self, options):
        self.template = LogTemplate("${HOST} ${MESSAGE}", self.template_options)
        return True

    def send(self, msg):
        received.append(self.template.format(msg))
        return True


class Counter(LogDestination):
    count = 0

    def send(self, msg):
        Counter.count += 1
        self.stats_written_bytes_add(10)
        return True


class GenPersist(LogDestination):
    def generate_persist_name(self, options):
        if options.get("k") == "raise":
            raise RuntimeError("no name")
        return b"gen-" + options["k"].encode()

    def send(self, msg):
        return True


class LoggingBridgeDest(LogDestination):
    def send(self, msg):
        import logging
        logging.getLogger("mydest").warning("bridged %s", msg["MESSAGE"].decode())
        logging.getLogger("mydest").debug("debug line")
        return True


# --- destinations that reach for the process (process_guard_test.cc) ---

def _on_term(signum, frame):
    pass


class TakesSigterm(LogDestination):
    def init(self, options):
        import signal
        events.append(("previous", signal.signal(signal.SIGTERM, _on_term)))
        events.append(("getsignal",
                       signal.getsignal(signal.SIGTERM) is _on_term))
        return True

    def send(self, msg):
        return True


class ForksInSend(LogDestination):
    """The child returns into the host from send(), like the parent."""

    def send(self, msg):
        import os
        pid = os.fork()
        if pid == 0:
            return True
        _, status = os.waitpid(pid, 0)
        events.append(("child", os.waitstatus_to_exitcode(status)))
        return True


class SubprocessInSend(LogDestination):
    def send(self, msg):
        import subprocess
        r = subprocess.run(["/bin/echo", "hi"], capture_output=True,
                           timeout=30)
        events.append(("echo", r.stdout))
        return True


class ExitsInSend(LogDestination):
    def send(self, msg):
        import os
        os._exit(3)
