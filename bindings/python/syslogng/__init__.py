"""syslog-ng compatible Python API (placeholder until the bindings land)."""
