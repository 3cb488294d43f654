"""A destination module that fails while being imported (tests/tools): the
pydest command must report it and exit with status 3."""

import pydest_module_that_does_not_exist  # noqa: F401


class Dest(object):
    def send(self, msg):
        return True
