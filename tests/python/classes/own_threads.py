"""A 4.x destination that works on threads of its own, as uploaders do
(an executor for uploads, a timer for periodic flushes): what those threads
log, through syslogng.Logger and through `logging`, belongs to it."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from syslogng import LogDestination, Logger, get_installation_path_for

results = {}


class UploaderDestination(LogDestination):
    def init(self, options):
        self.logger = logging.getLogger("Uploader")
        self.executor = ThreadPoolExecutor(max_workers=2)
        return True

    def open(self):
        self.timer = threading.Timer(0.0, self._tick)
        self.timer.start()
        self.timer.join()
        return True

    def _tick(self):
        self.logger.info("timer thread ticked")

    def _upload(self, data):
        self.logger.warning("uploaded %s from an executor thread" % data)
        Logger().error("syslogng.Logger on an executor thread")
        results["state_dir"] = get_installation_path_for("${localstatedir}")
        return True

    def send(self, msg):
        return self.executor.submit(self._upload, msg["MESSAGE"].decode()).result()

    def deinit(self):
        self.executor.shutdown()


def thread_started_outside_a_destination():
    """A thread started by the host's own Python (no destination) still has
    none: its token is None."""
    seen = []
    t = threading.Thread(target=lambda: seen.append(1))
    t.start()
    t.join()
    return t._pydest_destination, seen
