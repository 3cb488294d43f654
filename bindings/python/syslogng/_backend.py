"""Where the syslogng package's types come from: the embedded C++ module
``_syslogng`` inside a libpydest host, the pure-Python stand-ins of
``syslogng._standalone`` in a plain python3 (for a destination's unit tests).
"""

try:
    import _syslogng as impl  # noqa: F401  (used by the submodules)

    EMBEDDED = True
except ImportError:
    from syslogng import _standalone as impl  # noqa: F401

    EMBEDDED = False
