"""The destination the consumer program hosts: counts what it is sent."""
received = []


class CountingDestination:
    def send(self, msg):
        received.append(msg["MESSAGE"])
        return True

    def deinit(self):
        # The C++ side checks the count through this file.
        with open(self.out, "w") as f:
            f.write(str(len(received)))

    def init(self, options):
        self.out = options["out"]
        return True
