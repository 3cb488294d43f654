"""Pure-Python stand-ins for the syslogng types, used when the package is
imported outside a libpydest host (for a destination's own unit tests).

They follow the embedded module's behaviour: LogMessage values are bytes and
unset names raise KeyError (syslog-ng 4.x), Persist writes the same JSON files
as libpydest (one per persist name, replaced atomically), LogTemplate expands
$NAME and ${NAME} against a LogMessage. The driver base classes, the ack
trackers, register_config_generator and get_installation_path_for behave as
inside a host (bindings/module/driver_bases.cc, config_generators.cc,
installation_paths.cc).
"""

import datetime as _datetime
import enum as _enum
import fcntl as _fcntl
import json as _json
import logging as _logging
import os as _os
import re as _re
import tempfile as _tempfile

LTZ_LOCAL = 0
LTZ_SEND = 1

_logger = _logging.getLogger("syslogng")


def _name(key):
    if isinstance(key, bytes):
        return key.decode("utf-8", "surrogateescape")
    if isinstance(key, str):
        return key
    raise TypeError("name must be str or bytes, not %s" % type(key).__name__)


def _value(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, (int, float)):
        return str(value).encode()
    raise TypeError("name-value pair values must be str or bytes")


class LogMessage:
    """A message: name-value pairs with bytes values, a PRI and a stamp."""

    def __init__(self, message=None, bookmark=None):
        self._pairs = {}
        self._pri = 13
        self._stamp = _datetime.datetime.now()
        if message is not None:
            self._pairs["MESSAGE"] = _value(message)

    def __getitem__(self, key):
        name = _name(key)
        if name == "MSG":
            name = "MESSAGE"
        try:
            return self._pairs[name]
        except KeyError:
            raise KeyError("No such name-value pair %s" % name) from None

    def __setitem__(self, key, value):
        self._pairs[_name(key)] = _value(value)

    def __contains__(self, key):
        return _name(key) in self._pairs

    def keys(self):
        return [k.encode("utf-8", "surrogateescape") for k in self._pairs]

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def get_as_str(self, key, default=None, encoding="utf-8", errors="strict",
                   repr="internal"):
        if default is not None and not isinstance(default, str):
            raise TypeError("default must be str or None")
        value = self.get(key)
        if value is None:
            return default
        return value.decode(encoding, errors)

    def get_pri(self):
        return self._pri

    def set_pri(self, pri):
        self._pri = int(pri)

    def get_timestamp(self):
        return self._stamp

    def set_timestamp(self, timestamp):
        if not isinstance(timestamp, _datetime.datetime):
            raise ValueError("timestamp must be a datetime.datetime")
        self._stamp = timestamp

    def set_bookmark(self, bookmark):
        _outside_syslog_ng("LogMessage.set_bookmark()")

    def set_source_ipaddress(self, *args, **kwargs):
        _outside_syslog_ng("LogMessage.set_source_ipaddress()")

    def set_recvd_rawmsg_size(self, *args, **kwargs):
        _outside_syslog_ng("LogMessage.set_recvd_rawmsg_size()")

    @staticmethod
    def parse(*args, **kwargs):
        _outside_syslog_ng("LogMessage.parse()")

    def __repr__(self):
        return "<LogMessage %r>" % self._pairs.get("MESSAGE", b"")


class Logger:
    """syslog-ng's internal logging, sent to the `logging` module here."""

    def error(self, text):
        _logger.error("%s", text)

    def warning(self, text):
        _logger.warning("%s", text)

    def info(self, text):
        _logger.info("%s", text)

    def debug(self, text):
        _logger.debug("%s", text)

    def trace(self, text):
        _logger.log(5, "%s", text)


def _file_name(persist_name):
    out = []
    for byte in persist_name.encode("utf-8"):
        c = chr(byte)
        if c.isascii() and (c.isalnum() or c in "._-"):
            out.append(c)
        else:
            out.append("%%%02x" % byte)
    return "".join(out) + ".persist.json"


class Persist:
    """A durable str/int/bytes map per persist name, in the same JSON file
    libpydest uses (directory: $PYDEST_STATE_DIR, default the current one),
    shared with other processes the same way: read again when another
    replaced it; an assignment locks NAME.persist.lock, reads the latest
    file and writes its change on top."""

    def __init__(self, persist_name, defaults=None):
        if "##" in persist_name:
            raise ValueError("persist name %r contains the delimiter '##'" % persist_name)
        self.persist_name = persist_name
        state_dir = _os.environ.get("PYDEST_STATE_DIR", ".")
        _os.makedirs(state_dir, exist_ok=True)
        self.path = _os.path.join(state_dir, _file_name(persist_name))
        self._lock_path = self.path[:-len(".json")] + ".lock"
        self._entries = {}
        self._version = None
        self._refresh()
        for key, value in (defaults or {}).items():
            if key not in self._entries:
                self[key] = value

    def _file_version(self):
        try:
            st = _os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)

    def _refresh(self, always=False):
        version = self._file_version()
        if not always and version == self._version:
            return
        entries = {}
        if version is not None:
            with open(self.path, encoding="utf-8") as f:
                for key, entry in _json.load(f).items():
                    kind, value = entry["type"], entry["value"]
                    if kind == "bytes":
                        value = bytes.fromhex(value)
                    entries[key] = value
        self._entries = entries
        self._version = version

    def __getitem__(self, key):
        self._refresh()
        return self._entries[key]

    def __setitem__(self, key, value):
        if isinstance(value, bool) or not isinstance(value, (str, int, bytes)):
            raise TypeError("Persist values must be str, int or bytes")
        fd = _os.open(self._lock_path, _os.O_RDWR | _os.O_CREAT, 0o600)
        try:
            _fcntl.flock(fd, _fcntl.LOCK_EX)
            self._refresh(always=True)
            self._entries[key] = value
            self._write()
        finally:
            _os.close(fd)

    def __contains__(self, key):
        self._refresh()
        return key in self._entries

    def keys(self):
        self._refresh()
        return sorted(self._entries)

    def get(self, key, default=None):
        self._refresh()
        return self._entries.get(key, default)

    def _write(self):
        doc = {}
        for key, value in sorted(self._entries.items()):
            if isinstance(value, bytes):
                doc[key] = {"type": "bytes", "value": value.hex()}
            elif isinstance(value, int):
                doc[key] = {"type": "int", "value": value}
            else:
                doc[key] = {"type": "str", "value": value}
        directory = _os.path.dirname(self.path) or "."
        fd, tmp = _tempfile.mkstemp(dir=directory, prefix=".persist-")
        try:
            with _os.fdopen(fd, "w", encoding="utf-8") as f:
                _json.dump(doc, f, indent=1)
                f.write("\n")
                f.flush()
                _os.fsync(f.fileno())
            _os.replace(tmp, self.path)
        except BaseException:
            _os.unlink(tmp)
            raise
        self._version = self._file_version()


class LogTemplateException(Exception):
    """A template that does not compile."""


class LogTemplateOptions:
    """Template options (frac-digits, time zone); defaults only here."""

    frac_digits = 0
    ts_format = "rfc3164"
    local_time_zone = ""


_REFERENCE = _re.compile(r"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\$))")


class LogTemplate:
    """$NAME / ${NAME} references expanded against a LogMessage."""

    def __init__(self, template, options=None):
        depth = 0
        for i, c in enumerate(template):
            if c == "{" and i > 0 and template[i - 1] == "$":
                depth += 1
            elif c == "}" and depth:
                depth -= 1
        if depth:
            raise LogTemplateException("template %r: missing '}'" % template)
        self._template = template
        self._options = options

    def format(self, msg, options=None, tz=LTZ_SEND, seqnum=0):
        def expand(match):
            if match.group(3):
                return "$"
            name = match.group(1) or match.group(2)
            value = msg.get(name, b"")
            if isinstance(value, bytes):
                return value.decode("utf-8", "surrogateescape")
            return str(value)

        return _REFERENCE.sub(expand, self._template)

    def __str__(self):
        return self._template

    def __repr__(self):
        return "LogTemplate(%r)" % self._template


# --- driver base classes (_driver_bases.py, shared with the host) --------

def stats_written_bytes_add(n):
    """Outside a host there is no counter to add to."""


def _load_driver_bases():
    path = _os.path.join(_os.path.dirname(__file__), "_driver_bases.py")
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), globals())


_load_driver_bases()


# --- register_config_generator (bindings/module/config_generators.cc) ----

_CONTEXTS = (
    "root", "destination", "source", "parser", "rewrite", "filter", "log",
    "block-def", "block-arg", "block-ref", "block-content", "block-func-arg",
    "pragma", "format", "template-func", "inner-dest", "inner-src",
    "client-proto", "server-proto", "options", "config", "template-ref")

_generators = []


def register_config_generator(context, name, config_generator):
    """Records config_generator for NAME(...) in `context`; registering the
    same (context, name) again replaces it."""
    if context not in _CONTEXTS:
        raise ValueError("unknown context value %s (one of: %s)"
                         % (context, ", ".join(_CONTEXTS)))
    if not callable(config_generator):
        raise TypeError("register_config_generator(): config_generator must "
                        "be callable, not %s" % type(config_generator).__name__)
    for i, (c, n, _) in enumerate(_generators):
        if (c, n) == (context, name):
            _generators[i] = (context, name, config_generator)
            return
    _generators.append((context, name, config_generator))


def _config_generators():
    return list(_generators)


# --- get_installation_path_for (bindings/module/installation_paths.cc) ---

def get_installation_path_for(template):
    """${prefix}... resolved against where this package lives: its
    directory is <pkgdatadir>/python, as in an installed libpydest;
    ${localstatedir} is $PYDEST_STATE_DIR (default ".")."""
    python_dir = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
    pkgdatadir = _os.path.dirname(python_dir)
    datadir = _os.path.dirname(pkgdatadir)
    prefix = _os.path.dirname(datadir)
    for var, value in (
            ("${prefix}", prefix), ("${exec_prefix}", prefix),
            ("${datarootdir}", datadir), ("${datadir}", datadir),
            ("${pkgdatadir}", pkgdatadir), ("${moduledir}", pkgdatadir),
            ("${libexecdir}", _os.path.join(prefix, "libexec")),
            ("${localstatedir}", _os.environ.get("PYDEST_STATE_DIR", "."))):
        template = template.replace(var, value)
    return template
