"""The syslogng package imported by a plain python3, outside any host
(how destination authors unit-test their classes)."""

import os
import sys
import tempfile

sys.path.insert(0, sys.argv[1])
os.environ["PYDEST_STATE_DIR"] = tempfile.mkdtemp()

import syslogng  # noqa: E402
from syslogng import LogDestination, LogDestinationResult, LogMessage  # noqa: E402

assert syslogng.EMBEDDED is False
assert LogDestinationResult.SUCCESS == 3 and LogDestinationResult.NOT_CONNECTED == 5
assert LogDestination.SUCCESS == 3


class Dest(LogDestination):
    def send(self, msg):
        return self.SUCCESS if msg["MESSAGE"] == b"hi" else self.ERROR


d = Dest()
assert d.init({}) is True and d.open() is True and d.is_opened() is True
m = LogMessage("hi")
assert d.send(m) == 3
assert m[b"MSG"] == b"hi" and m.keys() == [b"MESSAGE"]
try:
    m["missing"]
    raise AssertionError("KeyError expected")
except KeyError:
    pass
assert m.get("missing", 1) == 1 and m.get_as_str("MESSAGE") == "hi"

p = syslogng.Persist("python.unit", defaults={"n": 0})
p["n"] += 1
p["b"] = b"\x00\xff"
q = syslogng.Persist("python.unit")
assert q["n"] == 1 and q["b"] == b"\x00\xff"
# Another object (another process, as well) writes: p reads it, and p's own
# next write keeps it.
q["from_q"] = "q"
assert p["from_q"] == "q"
p["n"] = 2
assert syslogng.Persist("python.unit").keys() == ["b", "from_q", "n"]
try:
    p["f"] = 1.5
    raise AssertionError("TypeError expected")
except TypeError:
    pass

m["HOST"] = "h"
assert syslogng.LogTemplate("${HOST} $MESSAGE $$").format(m) == "h hi $"
try:
    syslogng.LogTemplate("${HOST")
    raise AssertionError("LogTemplateException expected")
except syslogng.LogTemplateException:
    pass
syslogng.Logger().info("logger works")
print("ok")
