"""The syslog-ng 4.x package surface from a plain python3 (no host): every
public name, the driver base classes, register_config_generator,
get_installation_path_for, syslogng.modules.<name> from any sys.path entry
(also one added after the first import), keys() under concurrent names.

argv[1]: bindings/python; argv[2]: tests/python/classes."""

import os
import sys
import tempfile

sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
state_dir = tempfile.mkdtemp()
os.environ["PYDEST_STATE_DIR"] = state_dir

import syslogng  # noqa: E402
import compat4x  # noqa: E402

assert syslogng.EMBEDDED is False
assert compat4x.missing_names(False) == [], compat4x.missing_names(False)
assert set(compat4x.PUBLIC_NAMES["syslogng"]) <= set(syslogng.__all__)
from syslogng import _standalone  # noqa: E402
missing = [n for n in compat4x.C_MODULE_NAMES if not hasattr(_standalone, n)]
assert missing == [], missing

# A module of the 4.x era: parser and destination side by side, with the
# typing import inside the guarded block.
assert compat4x.LogParser is syslogng.LogParser and compat4x.Dict is not None
m = syslogng.LogMessage("abc")
assert compat4x.UpperParser().parse(m) is True and m["MESSAGE"] == b"ABC"
d = compat4x.ListDestination()
assert d.init({}) is True
assert d.send(syslogng.LogMessage("x")) == syslogng.LogDestinationResult.SUCCESS
d.stats_written_bytes_add(10)  # a no-op outside a host

# Source side: subclassable without calling the base __init__, constants,
# host-only methods raise naming the limitation.
src = compat4x.HttpSource()
assert src.started and isinstance(src.ack_tracker, syslogng.InstantAckTracker)
try:
    src.run()
    raise AssertionError("NotImplementedError expected")
except NotImplementedError as e:
    assert "LogSource.post_message() is only available inside syslog-ng" in str(e)
for call in (lambda: m.set_bookmark(None),
             lambda: syslogng.LogMessage.parse("<13>x", None)):
    try:
        call()
        raise AssertionError("NotImplementedError expected")
    except NotImplementedError as e:
        assert "only available inside syslog-ng" in str(e)
f = compat4x.PollFetcher()
assert f.fetch() == (syslogng.LogFetcher.FETCH_NO_DATA, None)
assert [int(x) for x in (syslogng.LogFetcher.FETCH_ERROR,
                         syslogng.LogFetcher.NOT_CONNECTED,
                         syslogng.LogFetcher.SUCCESS,
                         syslogng.LogFetcher.TRY_AGAIN,
                         syslogng.LogFetcher.NO_DATA)] == [0, 1, 2, 3, 4]
b = syslogng.BatchedAckTracker(timeout=100, batch_size=5,
                               batched_ack_callback=lambda acks: None)
assert (b.timeout, b.batch_size) == (100, 5)
try:
    syslogng.ConsecutiveAckTracker(ack_callback=3)
    raise AssertionError("TypeError expected")
except TypeError:
    pass

# register_config_generator records; a bad context is a ValueError.
syslogng.register_config_generator(context="destination", name="mydest",
                                   config_generator=lambda args: "x")
syslogng.register_config_generator("destination", "mydest", lambda args: "y")
gens = _standalone._config_generators()
assert [(c, n) for c, n, _ in gens] == [("destination", "mydest")]
assert gens[0][2]({}) == "y"
try:
    syslogng.register_config_generator("nowhere", "x", lambda a: "")
    raise AssertionError("ValueError expected")
except ValueError as e:
    assert "unknown context value nowhere" in str(e)

# get_installation_path_for: this package's dir is ${moduledir}/python.
here = os.path.abspath(sys.argv[1])
assert syslogng.get_installation_path_for("${moduledir}/python") == here
assert syslogng.get_installation_path_for("${localstatedir}/s3") == state_dir + "/s3"
assert syslogng.get_installation_path_for("/plain/${nope}") == "/plain/${nope}"

# syslogng.modules.<name> from a directory added to sys.path after the
# package was imported.
import syslogng.modules  # noqa: E402,F811
tmp = tempfile.mkdtemp()
os.makedirs(os.path.join(tmp, "syslogng", "modules", "example"))
with open(os.path.join(tmp, "syslogng", "modules", "example", "__init__.py"), "w") as fh:
    fh.write("from syslogng import LogDestination\n"
             "class ExampleDestination(LogDestination):\n"
             "    def send(self, msg):\n"
             "        return self.SUCCESS\n")
sys.path.append(tmp)
from syslogng.modules.example import ExampleDestination  # noqa: E402
assert ExampleDestination().send(syslogng.LogMessage("x")) == 3
assert os.path.join(tmp, "syslogng", "modules") in syslogng.modules.__path__

assert compat4x.keys_under_concurrent_names() == []
print("ok")
