"""A 4.x destination that reports the bytes it "wrote" per message."""

from syslogng import LogDestination


class ByteCounter(LogDestination):
    def send(self, msg):
        self.stats_written_bytes_add(len(msg["MESSAGE"]))
        return True
