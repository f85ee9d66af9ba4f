"""`make run` and `make serve` stop their server and its background worker together, each signalled once.

The Makefile's `beside_the_worker` recipe is run here with two stand-in programs that write down every signal they
get: a worker given a second signal forces its running task to stop (django-tasks' `db_worker` does), so each must
get exactly one, whether the desk presses Ctrl+C in the terminal or a process manager sends make a TERM.
"""

import contextlib
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

MAKEFILE = Path(settings.BASE_DIR) / "Makefile"

# A program that writes "<name> <signal>" to its log for every SIGINT or SIGTERM; it takes a while to stop, as a
# worker finishing its task does, and a second signal in that while is written down too.
STAND_IN = """
import os, signal, sys, time
name, log = ("worker" if sys.argv[1] == "db_worker" else sys.argv[1]), os.environ["STAND_IN_LOG"]
stopping = []

def note(number, frame):
    with open(log, "a") as file:
        file.write(f"{name} {signal.Signals(number).name}\\n")
    stopping.append(time.monotonic())

signal.signal(signal.SIGTERM, note)
if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN or name == "worker":  # db_worker always handles SIGINT
    signal.signal(signal.SIGINT, note)
with open(log, "a") as file:
    file.write(f"{name} started {os.getpid()}\\n")
while not stopping or time.monotonic() - stopping[0] < 0.5:
    time.sleep(0.05)
"""


def start_make(tmp_path):
    """make, on a terminal of its own, running the recipe with the two stand-ins; returns (pid, terminal, log)."""
    program = tmp_path / "stand_in.py"
    program.write_text(STAND_IN)
    log = tmp_path / "signals.log"
    recipe = f"probe: ; $(call beside_the_worker,{sys.executable} {program} server)"
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make, in the terminal's foreground process group, as a newcomer runs it
        os.environ["STAND_IN_LOG"] = str(log)
        os.execvp(
            "make",
            ["make", "--no-print-directory", "-f", str(MAKEFILE), "--eval", recipe, "probe"]
            + [f"MANAGE={sys.executable} {program}", f"BIN={Path(sys.executable).parent}"],
        )
    deadline = time.monotonic() + 30
    while not log.exists() or log.read_text().count("started") < 2:
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            pytest.fail("the recipe never started both programs")
        drain(terminal)
    return pid, terminal, log


def drain(terminal, seconds=0.1):
    if select.select([terminal], [], [], seconds)[0]:
        with contextlib.suppress(OSError):  # the terminal closes when make ends
            os.read(terminal, 65536)


def wait_for(pid, terminal):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        drain(terminal)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
    os.killpg(pid, signal.SIGKILL)  # make leads a session of its own (pty.fork): everything it started goes too
    pytest.fail("make did not stop")


def started(log) -> dict[str, int]:
    """{name: process id} of the stand-ins the recipe started."""
    lines = (line.split() for line in log.read_text().splitlines())
    return {words[0]: int(words[2]) for words in lines if words[1] == "started"}


def signals(log) -> list[str]:
    return sorted(line for line in log.read_text().splitlines() if " started " not in line)


def left_running(log) -> list[str]:
    return [name for name, pid in started(log).items() if Path(f"/proc/{pid}").exists()]


@pytest.mark.parametrize(
    ("stop", "expected"),
    [
        # Ctrl+C: the terminal signals the whole foreground group; the worker takes it as it comes, the server
        # (a background command, which ignores SIGINT) gets a TERM from the recipe.
        ("ctrl-c", ["worker SIGINT", "server SIGTERM"]),
        # A process manager stopping make: make passes the TERM to the recipe's shell, which passes it to both.
        ("term", ["worker SIGTERM", "server SIGTERM"]),
    ],
)
def test_stopping_make_stops_the_server_and_the_worker_with_one_signal_each(tmp_path, stop, expected):
    pid, terminal, log = start_make(tmp_path)
    if stop == "ctrl-c":
        os.write(terminal, b"\x03")
    else:
        os.kill(pid, signal.SIGTERM)
    status = wait_for(pid, terminal)
    os.close(terminal)
    assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) != 0  # make reports that it was stopped
    assert signals(log) == sorted(expected)
    assert left_running(log) == []


def test_a_server_that_ends_by_itself_takes_the_worker_with_it(tmp_path):
    """If the server exits (a port in use, a crash), the worker is not left running without it."""
    pid, terminal, log = start_make(tmp_path)
    os.kill(started(log)["server"], signal.SIGKILL)
    wait_for(pid, terminal)
    os.close(terminal)
    assert signals(log) == ["worker SIGTERM"]
    assert left_running(log) == []
