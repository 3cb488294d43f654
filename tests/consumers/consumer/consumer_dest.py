"""The destination the consumer program hosts: counts what it is sent, and
says where libpydest found the syslogng package."""
import os

import syslogng

received = []


class CountingDestination(syslogng.LogDestination):
    def init(self, options):
        self.out = options["out"]
        return True

    def send(self, msg):
        received.append(msg["MESSAGE"])
        return True

    def deinit(self):
        # The C++ side checks the count, the test script the two folders:
        # the package's, and what get_installation_path_for() answers for
        # it (syslog-ng's ${moduledir}/python).
        package = os.path.dirname(os.path.dirname(syslogng.__file__))
        moduledir = syslogng.get_installation_path_for("${moduledir}/python")
        with open(self.out, "w") as f:
            f.write("%d\n%s\n%s\n" % (len(received), package, moduledir))
