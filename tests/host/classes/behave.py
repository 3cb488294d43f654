"""Destinations for tests/host, modelled on the class of the golden
behaviour probes (anchordest.BehaveDest): every method call is appended to
the JSON-lines file named by options "out" with the calling thread, and the
options decide what each method returns."""

import json
import sys
import threading
import time


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _message_text(msg):
    if isinstance(msg, dict):
        for key in ("MESSAGE", b"MESSAGE"):
            if key in msg:
                return _text(msg[key])
        return ""
    for key in ("MESSAGE", b"MESSAGE"):
        try:
            return _text(msg[key])
        except Exception:  # pylint: disable=broad-except
            pass
    return ""


class _Behave(object):
    """Everything but is_opened(); a 3.x-style class (no syslogng base)."""

    def __init__(self):
        self._pending = [("__init__", {})]
        self._out = None
        self._opened = False
        self._opens = 0
        self._sends = 0
        self._options = {}

    def _record(self, call, **extra):
        entry = dict(extra, call=call, tid=threading.get_ident(), t=time.time())
        if self._out is None:
            self._pending.append((call, entry))
            return
        with open(self._out, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")

    def _opt(self, name, default=""):
        return _text(self._options.get(name, default))

    def init(self, options):
        self._options = dict(options)
        self._out = self._opt("out")
        pending, self._pending = self._pending, []
        for call, entry in pending:
            if call == "__init__":
                entry = {"call": "__init__", "tid": threading.get_ident()}
            with open(self._out, "a", encoding="utf-8") as out:
                out.write(json.dumps(entry) + "\n")
        self._record("init")
        how = self._opt("init_ret", "true")
        if how == "false":
            return False
        if how == "raise":
            raise RuntimeError("init raised on purpose")
        if how == "thread":
            # A non-daemon thread that never ends on its own.
            self._stop = threading.Event()
            threading.Thread(target=self._stop.wait, daemon=False).start()
        return True

    def open(self):
        self._record("open")
        self._opens += 1
        delay = float(self._opt("open_delay", "0") or 0)
        if delay and self._opens == 1:
            time.sleep(delay)  # the first open only: lets messages queue up
        how = self._opt("open_ret", "true")
        if how == "false":
            return False
        if how == "false-first-2" and self._opens <= 2:
            return False
        if how == "none":
            self._opened = True
            return None
        if how == "raise":
            raise RuntimeError("open raised on purpose")
        self._opened = True
        return True

    def send(self, msg):
        self._sends += 1
        self._record("send", msg=_message_text(msg))
        how = self._opt("send_ret", "true")
        if how == "true":
            return True
        if how == "false":
            return False
        if how == "none":
            return None
        if how == "str":
            return "SUCCESS"
        if how == "float":
            return 3.0
        if how in ("7", "-1", "0", "1", "3", "4", "5", "6"):
            return int(how)
        if how == "raise":
            raise RuntimeError("send raised on purpose")
        if how == "fail-first-2-false":
            return self._sends > 2
        # Injected class constants (syslog-ng-behaviour.md §2.2 step 4).
        if how == "error":
            return self.ERROR
        if how == "drop":
            return self.DROP
        if how == "queued":
            return self.QUEUED
        if how == "not_connected":
            return self.NOT_CONNECTED
        if how == "retry":
            return self.RETRY
        if how == "exit":
            sys.exit(3)
        if how == "keyboard":
            raise KeyboardInterrupt()
        if how == "sleep":
            time.sleep(float(self._opt("sleep", "30")))
            return True
        raise ValueError("unknown send_ret " + how)

    def flush(self):
        self._record("flush")
        return self._opt("flush_ret", "true") != "false"

    def close(self):
        self._record("close")
        self._opened = False

    def deinit(self):
        self._record("deinit")
        stop = getattr(self, "_stop", None)
        if stop is not None and self._opt("stop_thread", "no") == "yes":
            stop.set()


class BehaveDest(_Behave):
    """The probes' class: with is_opened()."""

    def is_opened(self):
        self._record("is_opened", ret=self._opened)
        return self._opened


class BehaveDestNoIsOpened(_Behave):
    """Without is_opened() (the call-order-noisopened probe)."""
