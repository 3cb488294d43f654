"""A destination for the isolation(process) tests: send() does what the
message's text asks ("exit", "segv", "hang", "big", "once-exit:NAME" ...),
and records every delivered message, with the worker's pid, as a JSON line
in the file named by options "out"."""

import ctypes
import json
import logging
import os
import sys
import threading
import time


def _text(msg):
    value = msg["MESSAGE"] if not isinstance(msg, dict) else msg.get(
        b"MESSAGE", msg.get("MESSAGE", b""))
    return value.decode("utf-8", "replace") if isinstance(value, bytes) \
        else str(value)


def _first_time(marker):
    """True the first time `marker` is asked for, in any process."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(fd)
    return True


class IsolationDest(object):
    def init(self, options):
        self.out = options["out"]
        self.marks = options.get("marks", "/tmp")
        if "chatty" in options:
            import syslogng
            self.logger = syslogng.Logger()
            # A thread of the class's own (a client library's sender, say)
            # that logs a lot while no call runs, then leaves a mark.
            threading.Thread(target=self._chatter,
                             args=(int(options["chatty"]),),
                             daemon=True).start()
        return True

    def _chatter(self, records):
        # Half through Python logging, half through the Logger made in
        # init() (it stays tied to the destination).
        log = logging.getLogger("isolation_dest.chatty")
        for i in range(records):
            if i % 2:
                log.warning("background record %d %s", i, "x" * 200)
            else:
                self.logger.warning("background record %d %s" % (i, "y" * 200))
        open(os.path.join(self.marks, "chatty-done"), "w").close()

    def open(self):
        return True

    def send(self, msg):
        text = _text(msg)
        if text.startswith("once-"):
            how, _, name = text[5:].partition(":")
            if _first_time(os.path.join(self.marks, name)):
                self._misbehave(how)
        else:
            self._misbehave(text.partition(":")[0])
        with open(self.out, "a", encoding="utf-8") as out:
            out.write(json.dumps({"msg": text, "pid": os.getpid()}) + "\n")
        return self.SUCCESS

    def _misbehave(self, how):
        if how == "exit":
            os._exit(7)
        if how == "segv":
            ctypes.string_at(0)
        if how == "hang":
            time.sleep(3600)
        if how == "big":
            bytearray(1 << 30)  # 1 GiB: past any memory-limit() used here
        if how == "raise":
            raise RuntimeError("send raised on purpose")
        if how == "stderr":
            print("a line on stderr from pid", os.getpid(), file=sys.stderr,
                  flush=True)
        if how == "facts":
            with open("/proc/self/status", encoding="ascii") as status:
                blocked = [line.split()[1] for line in status
                           if line.startswith("SigBlk:")][0]
            with open(self.out, "a", encoding="utf-8") as out:
                out.write(json.dumps({
                    "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
                    "targets": {fd: os.readlink("/proc/self/fd/" + fd)
                                for fd in os.listdir("/proc/self/fd")
                                if os.path.exists("/proc/self/fd/" + fd)},
                    "sigblk": blocked,
                    "pgid_is_own": os.getpgid(0) == os.getpid(),
                    "ppid": os.getppid()}) + "\n")
