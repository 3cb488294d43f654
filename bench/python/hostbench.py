"""Destinations for bench/host_bench: each does as little as its workload
allows, so the benchmark measures the host, not the class."""
import time

from syslogng import LogDestination


class Dest(LogDestination):
    """value-pairs: send() gets a dict and returns True."""

    def send(self, msg):
        return True


class LogMessageDest(LogDestination):
    """No value-pairs: send() gets a LogMessage and reads two names."""

    def send(self, msg):
        msg["HOST"]
        msg["MESSAGE"]
        return True


class QueuedDest(LogDestination):
    """send() returns QUEUED; flush() settles the batch (batch-lines)."""

    def send(self, msg):
        return self.QUEUED

    def flush(self):
        return True


class SleepDest(LogDestination):
    """An I/O-bound destination: send() waits 1 ms (GIL released)."""

    def send(self, msg):
        time.sleep(0.001)
        return True


class CpuDest(LogDestination):
    """send() computes for about 1 ms in pure Python (on this machine's
    CPython 3.11): CPU-bound, so workers(N) in-process share one GIL and
    only isolation(process) spreads them over cores."""

    def send(self, msg):
        x = 0
        for i in range(22000):
            x += i * i
        return True


class DownDest(LogDestination):
    """A destination that never connects: messages stay queued (the
    memory_soak queue measurement)."""

    def open(self):
        return False

    def send(self, msg):
        return True
