"""A destination whose send() raises: syslog-ng logs the exception."""


class RaisingSend:
    def send(self, msg):
        raise ValueError("send() always fails here")
