"""Counting destinations for bench/compare-syslog-ng.

Each class counts what send() receives and, when the expected number of
messages has arrived, writes a JSON result (count, first/last send time) to
options["out"]. The same file runs under syslog-ng and under pydest.
"""
import json
import time


class _Counter:
    def init(self, options):
        self.out = options["out"]
        self.expect = int(options["expect"])
        self.count = 0
        self.first = None
        return True

    def _tick(self):
        # The clock is read for the first and the last message only: the
        # issue's send() "only returns True", and a clock read per message
        # would be a good part of what is measured.
        if self.first is None:
            self.first = time.time()
        self.count += 1
        if self.count == self.expect:
            now = time.time()
            with open(self.out + ".tmp", "w") as f:
                json.dump({"count": self.count, "first": self.first,
                           "last": now}, f)
            import os
            os.rename(self.out + ".tmp", self.out)


class CountDest(_Counter):
    """value-pairs: send() gets a dict and returns True."""

    def send(self, msg):
        self._tick()
        return True


class CountLogMessageDest(_Counter):
    """No value-pairs: send() gets a LogMessage and reads two names."""

    def send(self, msg):
        msg["HOST"]
        msg["MESSAGE"]
        self._tick()
        return True


class CountBatchDest(_Counter):
    """send() returns QUEUED; flush() settles the batch."""

    def send(self, msg):
        self._tick()
        return self.QUEUED

    def flush(self):
        return True
