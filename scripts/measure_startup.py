#!/usr/bin/env python3
"""Measures the real binary: start to the first full frame, and peak memory (RSS).

Usage: python3 scripts/measure_startup.py [path/to/isms-ready] [runs]
(default: target/release/isms-ready, 20 runs; build it first with `cargo build --release`).

It prepares a database with one fully answered 252-item assessment (ISO/IEC 27001:2013), then
starts the app in a 200x60 pseudo-terminal on it, times until the footer of the first frame is
on screen, quits with `q`, and reads the child's peak RSS from wait4.
"""

import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/isms-ready")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
work = tempfile.mkdtemp()
env = dict(os.environ, ISMS_READY_DB=os.path.join(work, "measure.db"), HOME=work,
           XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_DATA_HOME=os.path.join(work, "data"),
           TERM="xterm-256color")
env.pop("NO_COLOR", None)


def run(*args):
    subprocess.run([binary, *args], env=env, check=True, stdout=subprocess.DEVNULL)


# One fully answered 2013 assessment, imported in one transaction.
run("new", "--name", "Stub", "--standard", "iso27001-2013")
items = json.loads(subprocess.run([binary, "questionnaires", "show", "iso27001-2013", "--json"],
                                  env=env, check=True, capture_output=True).stdout)["items"]
answers = []
for item in items:
    answer = {"item": item["number"], "ref": item["ref"], "level": item["number"] % 5,
              "note": "A workshop note.\nSecond line." if item["number"] % 3 == 0 else "",
              "evidence": f"DOC-{item['number']}"}
    if item["kind"] == "control":
        answer.update(applicable=True, reasons=["risk_treatment"], justification="R-1")
    answers.append(answer)
document = {"format": "isms-ready/assessment", "version": 1,
            "assessment": {"name": "Full", "questionnaire": "iso27001-2013", "scope": "", "assessor": "",
                           "created_at": "2026-01-01T00:00:00.000Z"},
            "answers": answers, "plan": []}
with open(os.path.join(work, "full.json"), "w") as handle:
    json.dump(document, handle)
run("import", os.path.join(work, "full.json"))

def spawn_version():
    """The cost of starting any process in a pseudo-terminal here: `isms-ready --version`."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary, "--version"], env)
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    os.close(fd)
    return (time.perf_counter() - started) * 1000


baseline = statistics.median(spawn_version() for _ in range(runs))
timings, peaks = [], []
for _ in range(runs):
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
        os.execve(binary, [binary, "--assessment", "Full"], env)
    seen = b""
    while b"quit" not in seen:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            raise SystemExit("no first frame within 10 s")
        seen += os.read(fd, 65536)
    timings.append((time.perf_counter() - started) * 1000)
    os.write(fd, b"q")
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    _, status, usage = os.wait4(pid, 0)
    peaks.append(usage.ru_maxrss / 1024)
    os.close(fd)

print(f"start to first frame (252 items, 200x60): median {statistics.median(timings):.1f} ms, "
      f"min {min(timings):.1f} ms, max {max(timings):.1f} ms over {runs} runs")
print(f"of which starting any process (`--version`, start to exit): median {baseline:.1f} ms")
print(f"peak memory (RSS): median {statistics.median(peaks):.1f} MB, max {max(peaks):.1f} MB")
