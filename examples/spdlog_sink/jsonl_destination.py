"""A syslog-ng Python destination that appends each message as one JSON line.

Written for syslog-ng's python() driver; the spdlog example runs it
unchanged through libpydest:

    destination d_jsonl {
        python(class("jsonl_destination.JsonLinesDestination")
               options(path("/var/log/app.jsonl"))
               value-pairs(scope(rfc5424 dot-nv-pairs)));
    };
"""

import json

try:
    from syslogng import LogDestination
except ImportError:  # syslog-ng 3.x before the package existed
    LogDestination = object


class JsonLinesDestination(LogDestination):
    def init(self, options):
        self.path = options["path"]
        self.file = None
        return True

    def open(self):
        self.file = open(self.path, "a", encoding="utf-8")
        return True

    def is_opened(self):
        return self.file is not None

    def send(self, msg):
        record = {}
        for name, value in msg.items():
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            record[name] = value
        self.file.write(json.dumps(record, sort_keys=True) + "\n")
        return True

    def flush(self):
        self.file.flush()
        return True

    def close(self):
        if self.file is not None:
            self.file.close()
            self.file = None
