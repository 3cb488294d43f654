"""kill -9 at random moments against a reliable disk buffer: no message
that was accepted is lost, none is delivered that was never sent.

Runs ROUNDS children (tests/host/disk_buffer_child.cc); each takes over what
the previous one left in the buffer, sends 300 new ids (each printed once
Send returned: accepted), and is killed with SIGKILL after a random delay,
often in the middle of taking over. A last child drains the buffer. Then
every accepted id must have been delivered (at least once), and every
delivered id must be one that was sent.

Usage: disk_buffer_crash_e2e.py CHILD [ROUNDS]
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def run_round(child, tmp, out, first, count, kill_after):
    p = subprocess.Popen([child, "send", os.path.join(tmp, "dq"), out,
                          str(first), str(count)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    accepted = []

    def read():
        for line in p.stdout:
            parts = line.decode().split()
            if len(parts) == 2 and parts[0] == "accepted":
                accepted.append(int(parts[1]))

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(kill_after)
    killed = p.poll() is None
    if killed:
        os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=60)
    reader.join(timeout=60)
    err = p.stderr.read().decode("utf-8", "replace")
    if not killed and p.returncode != 0:
        raise SystemExit(f"child exited {p.returncode}: {err}")
    if killed and p.returncode != -signal.SIGKILL:
        raise SystemExit(f"child ended {p.returncode} before the kill: {err}")
    return accepted, killed


def main(child, rounds):
    rng = random.Random(int(os.environ.get("PYDEST_CRASH_SEED", "14")))
    tmp = tempfile.mkdtemp(dir=os.environ.get("TMPDIR"))
    try:
        out = os.path.join(tmp, "delivered.txt")
        accepted, sent, kills = set(), set(), 0
        for r in range(rounds):
            first = r * 300
            sent.update(range(first, first + 300))
            got, killed = run_round(child, tmp, out, first, 300,
                                    rng.uniform(0.02, 0.5))
            accepted.update(got)
            kills += killed
        drain = subprocess.run([child, "drain", os.path.join(tmp, "dq"), out],
                               capture_output=True, timeout=300)
        if drain.returncode != 0:
            raise SystemExit(f"drain exited {drain.returncode}: "
                             f"{drain.stderr.decode('utf-8', 'replace')}")
        with open(out) as f:
            delivered = [int(line) for line in f if line.strip()]
        missing = accepted - set(delivered)
        invented = set(delivered) - sent
        duplicates = len(delivered) - len(set(delivered))
        print(f"{rounds} rounds, {kills} killed by SIGKILL; "
              f"{len(accepted)} accepted, {len(set(delivered))} delivered "
              f"({duplicates} duplicates)")
        if missing:
            raise SystemExit(f"accepted but never delivered: {sorted(missing)[:20]}")
        if invented:
            raise SystemExit(f"delivered but never sent: {sorted(invented)[:20]}")
        if kills < rounds // 2:
            raise SystemExit(f"only {kills} of {rounds} rounds were killed: "
                             "the test did not test crashes")
    finally:
        if os.environ.get("PYDEST_KEEP_TMP"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]),
         int(sys.argv[2]) if len(sys.argv) > 2 else 50)
