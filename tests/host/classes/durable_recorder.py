"""A destination for the disk-buffer crash test: appends each message's text
as one line to options("path"), flushed at once, after an optional delay
(options("delay"), seconds), so that messages queue up behind it."""

import time


class DurableRecorder(object):
    def init(self, options):
        self.path = options["path"]
        self.delay = float(options["delay"]) if "delay" in options else 0.0
        return True

    def open(self):
        self.out = open(self.path, "a")
        return True

    def send(self, msg):
        if self.delay:
            time.sleep(self.delay)
        self.out.write(msg["MESSAGE"].decode() + "\n")
        self.out.flush()
        return True

    def close(self):
        self.out.close()
