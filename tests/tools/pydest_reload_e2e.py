"""pydest reloads its configuration on SIGHUP (issue #17): the new options
and the edited Python module take effect for the lines after the reload,
every line is delivered exactly once and in order across it (what the old
host had not delivered by --deadline is carried over, or stays in its disk
buffer), a broken configuration keeps the running one, and the stats JSON
sums the generations.

Usage: pydest_reload_e2e.py PATH/TO/pydest (--list | CASE)
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import e2e_harness as harness
from e2e_harness import check, write

CASES = harness.Cases()
case = CASES.case

# The destination under test, written into each case's folder so that a
# case can edit it (the re-import case does).
MODULE = '''import json
import time

CONST = "{const}"


class Tagged(object):
    """Records init/send/deinit with options("tag") and CONST."""

    def init(self, options):
        if options.get("fail_init") == "yes":
            return False
        self.tag = options.get("tag", "")
        self.delay = float(options["delay"]) if "delay" in options else 0.0
        self.out = open(options["path"], "a")
        self._event("init")
        return True

    def _event(self, name, **fields):
        fields["event"] = name
        self.out.write(json.dumps(fields, sort_keys=True) + "\\n")
        self.out.flush()

    def send(self, msg):
        if self.delay:
            time.sleep(self.delay)
        text = msg["MESSAGE"]
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        self._event("send", tag=self.tag, const=CONST, msg=text)
        return True

    def deinit(self):
        self._event("deinit")
        self.out.close()
'''


def line(i):
    return f"<13>Feb  5 17:32:18 host1 app: line {i}\n"


def config(tmp, tag="v1", extra="", python_extra=""):
    """One Tagged destination fed by standard input (no source); `extra`
    goes into its options(), `python_extra` into python()."""
    out = os.path.join(tmp, "out.jsonl")
    return write(os.path.join(tmp, "reload.conf"), f"""@version: 3.38
destination d_tag {{
    python(
        class("reload_dest.Tagged")
        options("path" "{out}" "tag" "{tag}" {extra})
        value-pairs(scope(everything))
        {python_extra}
    );
}};
log {{ destination(d_tag); }};
""")


def events(tmp, name="out.jsonl"):
    path = os.path.join(tmp, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        # A line being written may be incomplete: only whole ones count.
        return [json.loads(x) for x in f.read().split("\n")[:-1] if x.strip()]


def sends(tmp, name="out.jsonl"):
    return [e for e in events(tmp, name) if e["event"] == "send"]


class Pydest:
    """A pydest reading standard input, its stderr collected as it runs."""

    def __init__(self, tmp, conf, *args):
        self.tmp = tmp
        self.stats = os.path.join(tmp, "stats.json")
        self.proc = subprocess.Popen(
            [harness.PYDEST, "-f", conf, "--stats-json", self.stats, *args],
            stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        self.err = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stderr:
            self.err.append(raw.decode("utf-8", "replace"))

    def stderr(self):
        return "".join(self.err)

    def write(self, first, n):
        self.proc.stdin.write("".join(line(i) for i in range(first, first + n))
                              .encode())
        self.proc.stdin.flush()

    def wait_sends(self, n, timeout=30, name="out.jsonl"):
        deadline = time.time() + timeout
        while time.time() < deadline and len(sends(self.tmp, name)) < n:
            time.sleep(0.05)
        return sends(self.tmp, name)

    def wait_stderr(self, pattern, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(pattern, self.stderr())
            if m:
                return m
            time.sleep(0.05)
        return None

    def hup(self):
        self.proc.send_signal(signal.SIGHUP)

    def reload(self, what="reloaded"):
        """SIGHUP, then waits for the line saying how it went."""
        seen = self.stderr().count("pydest: " + what)
        self.hup()
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.stderr().count("pydest: " + what) > seen:
                return True
            time.sleep(0.05)
        return False

    def stop(self, signo=signal.SIGTERM):
        """Stops it; (exit status, stderr, the stats JSON)."""
        started = time.time()
        self.proc.send_signal(signo)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.took = time.time() - started
        self.reader.join(timeout=10)
        stats = None
        if os.path.exists(self.stats):
            with open(self.stats) as f:
                stats = json.load(f)
        return self.proc.returncode, self.stderr(), stats


def start(tmp, tag="v1", const="A", extra="", python_extra="", args=()):
    write(os.path.join(tmp, "reload_dest.py"), MODULE.format(const=const))
    return Pydest(tmp, config(tmp, tag, extra, python_extra), *args)


def messages(got):
    return [e["msg"] for e in got]


def expected(n):
    return [f"line {i}" for i in range(n)]


@case
def a_changed_option_applies_to_the_lines_after_the_reload():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1")
        try:
            p.write(0, 50)
            check(len(p.wait_sends(50)) == 50, "the first lines", p.stderr())
            config(tmp, tag="v2")
            check(p.reload(), "no 'reloaded' line", p.stderr())
            p.write(50, 50)
            got = p.wait_sends(100)
        finally:
            code, err, stats = p.stop()
        check(messages(got) == expected(100),
              "not every line exactly once, in order", messages(got), err)
        tags = [e["tag"] for e in got]
        check(tags == ["v1"] * 50 + ["v2"] * 50, "tags", tags)
        check(f"pydest: reloaded {os.path.join(tmp, 'reload.conf')}: "
              "1 destination" in err, "the reload's line", err)
        check(code == 0, f"exit status {code}", err)


@case
def a_reload_writes_the_preprocessed_configuration_again_or_fails():
    with tempfile.TemporaryDirectory() as tmp:
        pre = os.path.join(tmp, "pre.conf")
        p = start(tmp, tag="v1", args=("--preprocess-into", pre))
        try:
            p.write(0, 1)
            check(len(p.wait_sends(1)) == 1, "the first line", p.stderr())
            with open(pre) as f:
                first = f.read()
            config(tmp, tag="v2")
            check(p.reload(), "no 'reloaded' line", p.stderr())
            with open(pre) as f:
                second = f.read()
            # A folder in its place cannot be written, even by root: the
            # reload fails and v2 goes on.
            os.remove(pre)
            os.mkdir(pre)
            config(tmp, tag="v3")
            check(p.reload("reload failed"), "no failure line", p.stderr())
            p.write(1, 1)
            got = p.wait_sends(2)
        finally:
            code, err, _ = p.stop()
        check('"tag" "v1"' in first, "the first configuration", first)
        check('"tag" "v2"' in second, "not written again", second)
        check(f"{pre}: cannot be written" in err, "the reason", err)
        check([e["tag"] for e in got] == ["v1", "v2"],
              "the running configuration did not go on", got)
        check(code == 0, f"exit status {code}", err)


@case
def lines_read_during_the_reload_are_delivered_once_in_order():
    # A slow destination (10 ms a line) with 300 lines queued and a 1 s
    # deadline: the old host cannot deliver them all, what it dropped goes
    # to the new one first, while more lines keep coming in.
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1", extra='"delay" "0.01"',
                  args=("--deadline", "1"))
        stop_writing = threading.Event()
        written = [300]

        def keep_writing():
            while not stop_writing.is_set():
                p.write(written[0], 5)
                written[0] += 5
                time.sleep(0.02)

        try:
            p.write(0, 300)
            check(len(p.wait_sends(20)) >= 20, "nothing delivered",
                  p.stderr())
            writer = threading.Thread(target=keep_writing)
            writer.start()
            config(tmp, tag="v2", extra='"delay" "0.001"')
            reloaded = p.reload()
            time.sleep(0.3)
            stop_writing.set()
            writer.join()
            check(reloaded, "no 'reloaded' line", p.stderr())
            got = p.wait_sends(written[0], timeout=60)
        finally:
            code, err, stats = p.stop()
        n = written[0]
        check(messages(got) == expected(n),
              f"not every one of {n} lines exactly once, in order",
              messages(got)[:3], messages(got)[-3:], len(got), err)
        tags = [e["tag"] for e in got]
        first_v2 = tags.index("v2")
        check(tags == ["v1"] * first_v2 + ["v2"] * (n - first_v2),
              "a v1 line after a v2 one", first_v2)
        check(first_v2 < 300, f"the old host delivered {first_v2} of the "
              "queued 300: nothing was carried over", err)
        d = stats["destinations"]["d_tag"]
        check(d["queued"] == n and d["delivered"] == n and d["dropped"] == 0
              and d["processed"] == n,
              "the counters do not count each line once", d)
        check(stats["reloads"] == 1, "reloads", stats)
        check(code == 0, f"exit status {code}", err)


@case
def the_edited_module_runs_after_the_reload():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, const="A")
        try:
            p.write(0, 3)
            check(len(p.wait_sends(3)) == 3, "the first lines", p.stderr())
            # Another length: Python checks its cached bytecode by the
            # file's mtime (in seconds) and size.
            write(os.path.join(tmp, "reload_dest.py"),
                  MODULE.format(const="BBBB"))
            check(p.reload(), "no 'reloaded' line", p.stderr())
            p.write(3, 3)
            got = p.wait_sends(6)
        finally:
            code, err, _ = p.stop()
        consts = [e["const"] for e in got]
        check(consts == ["A"] * 3 + ["BBBB"] * 3,
              "the new code does not run after the reload", consts, err)
        check(code == 0, f"exit status {code}", err)


@case
def a_syntax_error_keeps_the_running_configuration():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1")
        conf = os.path.join(tmp, "reload.conf")
        try:
            p.write(0, 3)
            check(len(p.wait_sends(3)) == 3, "the first lines", p.stderr())
            with open(conf) as f:
                text = f.read()
            # Line 5: options(...) loses its closing parenthesis.
            write(conf, text.replace('"tag" "v1" )', '"tag" "v2" '))
            check(p.reload("reload failed"), "no failure line", p.stderr())
            p.write(3, 3)
            got = p.wait_sends(6)
            time.sleep(0.2)
        finally:
            code, err, stats = p.stop()
        m = re.search(r"pydest: reload failed, keeping the running "
                      r"configuration: (\S+):(\d+):(\d+): ", err)
        check(m and m.group(1) == conf, "the failure names no place", err)
        check([e["tag"] for e in got] == ["v1"] * 6,
              "the old configuration did not go on", got, err)
        check(messages(got) == expected(6), "lines", messages(got))
        check(stats["reloads"] == 0, "a failed reload counted", stats)
        check(code == 0, f"exit status {code}", err)


@case
def an_init_that_fails_keeps_the_running_configuration():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1")
        try:
            p.write(0, 3)
            check(len(p.wait_sends(3)) == 3, "the first lines", p.stderr())
            config(tmp, tag="v2", extra='"fail_init" "yes"')
            check(p.reload("reload failed"), "no failure line", p.stderr())
            p.write(3, 3)
            got = p.wait_sends(6)
        finally:
            code, err, stats = p.stop()
        check("pydest: reload failed, keeping the running configuration: "
              "destination 'd_tag' (class reload_dest.Tagged) failed to "
              "start" in err, "the failure names no destination", err)
        check([e["tag"] for e in got] == ["v1"] * 6,
              "the old configuration did not go on", got, err)
        inits = [e for e in events(tmp) if e["event"] == "init"]
        check(len(inits) == 1, "the running host was started again", inits)
        check(code == 0, f"exit status {code}", err)


@case
def a_disk_buffer_destination_loses_and_duplicates_nothing():
    # The old host (20 ms a line, 1 s deadline) leaves most of 200 lines in
    # its disk buffer; the new host over the same buffer delivers them.
    with tempfile.TemporaryDirectory() as tmp:
        buffer = f'disk-buffer(reliable(yes) dir("{tmp}/dq"))'
        p = start(tmp, tag="v1", extra='"delay" "0.02"', python_extra=buffer,
                  args=("--deadline", "1"))
        try:
            p.write(0, 200)
            check(len(p.wait_sends(10)) >= 10, "nothing delivered",
                  p.stderr())
            config(tmp, tag="v2", extra='"delay" "0.001"', python_extra=buffer)
            check(p.reload(), "no 'reloaded' line", p.stderr())
            p.write(200, 50)
            got = p.wait_sends(250, timeout=60)
        finally:
            code, err, stats = p.stop()
        check(messages(got) == expected(250),
              "not every line exactly once, in order",
              messages(got)[:3], len(got), err)
        tags = [e["tag"] for e in got]
        first_v2 = tags.index("v2")
        check(10 <= first_v2 < 200,
              f"the old host delivered {first_v2}: nothing was left in the "
              "buffer", err)
        d = stats["destinations"]["d_tag"]
        check(d["delivered"] == 250 and d["queued"] == 250 and
              d["dropped"] == 0 and d["kept_in_disk_buffer"] == 0 and
              d["disk_buffer_recovered"] == 0,
              "the counters do not count each line once", d)
        # Tried without its buffer, then started over it: init() twice.
        inits = [e for e in events(tmp) if e["event"] == "init"]
        check(len(inits) == 3, "init() runs", inits)
        check(code == 0, f"exit status {code}", err)


@case
def sigterm_right_after_sighup_exits_cleanly():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1")
        try:
            p.write(0, 20)
            check(len(p.wait_sends(20)) == 20, "the first lines", p.stderr())
            config(tmp, tag="v2")
            p.hup()
        finally:
            code, err, stats = p.stop()
        check(code == 0, f"exit status {code}", err)
        check(p.took < 20, f"took {p.took:.1f} s to stop", err)
        check("reload failed" not in err, "the reload failed", err)
        check(messages(sends(tmp)) == expected(20), "lines", err)
        check(stats is not None and stats["reloads"] in (0, 1),
              "stats", stats)
        # Every host that started was shut down: deinit() for each init().
        evs = [e["event"] for e in events(tmp)]
        check(evs.count("init") == evs.count("deinit"),
              "a host was not shut down", evs)


@case
def the_stats_json_sums_the_generations():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1")
        try:
            p.write(0, 30)
            check(len(p.wait_sends(30)) == 30, "the first lines", p.stderr())
            # Several SIGHUPs at once are one reload, or one more after it.
            for _ in range(5):
                p.hup()
            time.sleep(0.5)
            check(p.wait_stderr("pydest: reloaded"), "no reload", p.stderr())
            time.sleep(1)
            p.write(30, 20)
            p.wait_sends(50)
        finally:
            code, err, stats = p.stop()
        reloads = len(re.findall(r"^pydest: reloaded /", err, re.M))
        check(1 <= reloads <= 2, f"{reloads} reloads for 5 SIGHUPs", err)
        d = stats["destinations"]["d_tag"]
        check(stats["reloads"] == reloads, "reloads", stats["reloads"])
        check(d["queued"] == 50 and d["processed"] == 50 and
              d["delivered"] == 50 and d["dropped"] == 0,
              "the counters are not the generations' sum", d)
        check(d["send_latency"]["count"] == 50, "the histogram's count", d)
        check(f"reloaded the configuration {reloads} time" in err,
              "the report's reload line", err)
        check(code == 0, f"exit status {code}", err)


@case
def a_destination_added_and_one_removed():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1")
        conf = os.path.join(tmp, "reload.conf")
        try:
            p.write(0, 10)
            check(len(p.wait_sends(10)) == 10, "the first lines", p.stderr())
            second = os.path.join(tmp, "second.jsonl")
            write(conf, f"""@version: 3.38
destination d_new {{
    python(class("reload_dest.Tagged") options("path" "{second}" "tag" "n")
           value-pairs(scope(everything)));
}};
log {{ destination(d_new); }};
""")
            check(p.reload(), "no 'reloaded' line", p.stderr())
            p.write(10, 5)
            got = p.wait_sends(5, name="second.jsonl")
        finally:
            code, err, stats = p.stop()
        check(messages(got) == [f"line {i}" for i in range(10, 15)],
              "the added destination's lines", got, err)
        check(messages(sends(tmp)) == expected(10),
              "the removed destination's lines", err)
        dests = stats["destinations"]
        check(dests["d_tag"]["delivered"] == 10 and
              dests["d_new"]["delivered"] == 5, "per destination", dests)
        check(code == 0, f"exit status {code}", err)


@case
def metrics_keep_working_across_a_reload():
    with tempfile.TemporaryDirectory() as tmp:
        p = start(tmp, tag="v1", args=("--metrics-listen", "127.0.0.1:0"))

        def queued():
            m = p.wait_stderr(r"serving metrics on (http://\S+/metrics)")
            with urllib.request.urlopen(m.group(1), timeout=10) as r:
                text = r.read().decode()
            m = re.search(r'^pydest_messages_queued_total\{destination="d_tag"\}'
                          r" (\S+)$", text, re.M)
            return float(m.group(1)) if m else None

        try:
            p.write(0, 10)
            check(len(p.wait_sends(10)) == 10, "the first lines", p.stderr())
            before = queued()
            scraped = []
            done = threading.Event()

            def scrape():
                while not done.is_set():
                    scraped.append(queued())
                    time.sleep(0.01)

            scraper = threading.Thread(target=scrape)
            scraper.start()
            config(tmp, tag="v2")
            reloaded = p.reload()
            p.write(10, 5)
            p.wait_sends(15)
            time.sleep(0.2)
            done.set()
            scraper.join()
            after = queued()
        finally:
            code, err, _ = p.stop()
        check(reloaded, "no 'reloaded' line", err)
        check(before == 10 and after == 15, f"queued {before} then {after}",
              err)
        check(all(x is not None for x in scraped) and
              scraped == sorted(scraped),
              "a scrape during the reload failed or went back", scraped)
        check(code == 0, f"exit status {code}", err)


if __name__ == "__main__":
    sys.exit(harness.main(sys.argv, CASES, __doc__))
