"""Classes and checks for modules written for syslog-ng 4.x and AxoSyslog
(issue 12): the package's public names, a module that defines a parser
beside its destination, the `except ImportError` pattern, target(), and
generate_persist_name. Used in-host by tests/bindings/syslogng_package_test.cc
and from a plain python3 by tests/bindings/syslogng_compat_test.py."""

import threading

# What syslog-ng 4.x and AxoSyslog export (modules/python-modules/syslogng
# and the C module modules/python builds), checked name by name.
PUBLIC_NAMES = {
    "syslogng": [
        "LogDestination", "LogSource", "LogFetcher", "InstantAckTracker",
        "ConsecutiveAckTracker", "BatchedAckTracker", "LogParser",
        "LogTemplate", "LogTemplateOptions", "LogTemplateException",
        "LTZ_SEND", "LTZ_LOCAL", "LogMessage", "Logger", "Persist",
        "register_config_generator", "get_installation_path_for",
    ],
    "syslogng.dest": ["LogDestination", "LogDestinationResult"],
    "syslogng.source": [
        "LogSource", "LogFetcher", "LogFetcherResult", "InstantAckTracker",
        "ConsecutiveAckTracker", "BatchedAckTracker",
    ],
    "syslogng.parser": ["LogParser"],
    "syslogng.template": [
        "LogTemplate", "LogTemplateOptions", "LogTemplateException",
        "LTZ_LOCAL", "LTZ_SEND",
    ],
    "syslogng.message": ["LogMessage"],
    "syslogng.logger": ["Logger", "SyslogNGInternalLogHandler",
                        "setup_logging", "FAKE_LOGGER"],
    "syslogng.persist": ["Persist"],
    "syslogng.confgen": ["register_config_generator"],
    "syslogng.reloc": ["get_installation_path_for"],
    "syslogng.modules": [],
}

C_MODULE_NAMES = [
    "LogMessage", "LogTemplate", "LogTemplateOptions", "LogTemplateException",
    "LTZ_LOCAL", "LTZ_SEND", "Logger", "Persist", "LogDestination",
    "LogDestinationResult", "LogParser", "LogSource", "LogFetcher",
    "LogFetcherResult", "AckTrackerFactory", "InstantAckTracker",
    "ConsecutiveAckTracker", "BatchedAckTracker", "Bookmark",
    "register_config_generator", "get_installation_path_for",
]


def missing_names(include_c_module):
    """The "module.name" entries that do not import; [] when all do."""
    import importlib
    missing = []
    for module_name, names in PUBLIC_NAMES.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing.append(module_name)
            continue
        missing += ["%s.%s" % (module_name, n) for n in names
                    if not hasattr(module, n)]
    if include_c_module:
        import _syslogng
        missing += ["_syslogng." + n for n in C_MODULE_NAMES
                    if not hasattr(_syslogng, n)]
    return missing


# --- a module of the 4.x era: a parser and a destination side by side, the
# typing import guarded together with the syslogng one ---------------------
try:
    from syslogng import LogDestination, LogParser, LogSource, LogFetcher
    from syslogng import InstantAckTracker, LogMessage
    from typing import Dict, List
except ImportError:
    LogDestination = LogParser = object

received = []


class UpperParser(LogParser):
    def parse(self, msg: LogMessage) -> bool:
        msg["MESSAGE"] = msg["MESSAGE"].upper()
        return True


class ListDestination(LogDestination):
    def init(self, options: Dict[str, str]) -> bool:
        self.seen: List[bytes] = []
        return True

    def send(self, msg):
        received.append(msg["MESSAGE"])
        return self.SUCCESS


class HttpSource(LogSource):
    def __init__(self):  # no super().__init__(), as syslog-ng allows
        self.started = True
        self.ack_tracker = InstantAckTracker(ack_callback=lambda data: None)

    def run(self):
        self.post_message(LogMessage("x"))


class PollFetcher(LogFetcher):
    def fetch(self):
        return self.FETCH_NO_DATA, None


# --- target(): what a class sees in __init__ and init() -------------------
seen = []


class AttributeProbe(LogDestination):
    def __init__(self):
        seen.append(("__init__",
                     "template_options" in self.__dict__,
                     hasattr(type(self), "template_options"),
                     hasattr(self, "persist_name")))

    def init(self, options):
        self.template = LogTemplate("${MSG}", self.template_options)
        seen.append(("init",
                     "template_options" in self.__dict__,
                     "seqnum" in self.__dict__,
                     self.__dict__.get("persist_name"),
                     getattr(type(self), "persist_name", None)))
        return True

    def send(self, msg):
        received.append(self.template.format(msg))
        return self.SUCCESS


class AttributeProbeSyslogNg(AttributeProbe):
    pass


class AttributeProbeAxoSyslog(AttributeProbe):
    pass


from syslogng import LogTemplate, LogTemplateOptions, Persist  # noqa: E402


# --- generate_persist_name names the persist entries ----------------------
class NamedByGenerator(LogDestination):
    @staticmethod
    def generate_persist_name(options):
        return "gen-%s" % options["tenant"]

    def init(self, options):
        self.store = Persist(self.persist_name)
        self.store["opened"] = 1
        return True

    def send(self, msg):
        return self.SUCCESS


# --- LogMessage.keys() while other threads create new names ---------------
def keys_under_concurrent_names(threads=4, rounds=300):
    """Threads add fresh names to their own messages and to one shared
    message while others call keys() and format a template; returns the
    errors seen (none expected)."""
    shared = LogMessage("shared")
    template = LogTemplate("$MSG ${n0_0}", LogTemplateOptions())
    errors = []

    def writer(t):
        try:
            for i in range(rounds):
                own = LogMessage("own")
                own["n%d_%d" % (t, i)] = "v"
                shared["n%d_%d" % (t, i)] = str(i)
                own.keys()
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    def reader():
        try:
            for _ in range(rounds):
                keys = shared.keys()
                if b"MESSAGE" not in keys:
                    errors.append("MESSAGE missing from keys()")
                template.format(shared)
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    workers += [threading.Thread(target=reader) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    expected = threads * rounds
    names = [k for k in shared.keys() if k.startswith(b"n")]
    if len(names) != expected:
        errors.append("shared message has %d names, expected %d"
                      % (len(names), expected))
    return errors
