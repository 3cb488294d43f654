"""Python destinations used by the pydest end-to-end tests (tests/tools).

Each class records what it is called with as JSON lines in the file named by
options("path" "..."), so a test can check what the destination received
and in which order its methods ran. Written for syslog-ng's python()
destination API, like any user's destination.
"""

import json
import time


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


class Recorder(object):
    """Records init/open/send/close/deinit; send() returns True.

    options: path (required), delay (seconds to sleep in send())."""

    def init(self, options):
        self.path = options["path"]
        self.delay = float(options["delay"]) if "delay" in options else 0.0
        self.out = open(self.path, "a")
        self._event("init")
        return True

    def _event(self, name, **fields):
        fields["event"] = name
        self.out.write(json.dumps(fields, sort_keys=True) + "\n")
        self.out.flush()

    def open(self):
        self._event("open")
        return True

    def is_opened(self):
        return True

    def close(self):
        self._event("close")

    def deinit(self):
        self._event("deinit")
        self.out.close()

    def result(self):
        return True

    def send(self, msg):
        if self.delay:
            time.sleep(self.delay)
        self._event("send", msg={_text(k): _text(v) for k, v in msg.items()})
        return self.result()


class Failing(Recorder):
    """send() returns False (ERROR): with retries(1), every message drops."""

    def result(self):
        return False


class Dropping(Recorder):
    """send() returns DROP."""

    def result(self):
        return self.DROP


class InitFails(Recorder):
    """init() returns False: the destination cannot start."""

    def init(self, options):
        return False



class LogsAtEachLevel(Recorder):
    """init() logs one record at info and one at warning (pydest -v)."""

    def init(self, options):
        from syslogng import Logger
        log = Logger()
        log.info("an info record from init")
        log.warning("a warning record from init")
        return super().init(options)
