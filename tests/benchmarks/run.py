"""``make bench``: run every ``bench_*.py`` of this folder as a script, then print one table of their figures.

    .venv/bin/python tests/benchmarks/run.py                   # all of them
    .venv/bin/python tests/benchmarks/run.py http charts       # those whose name holds one of the words

Each script runs in its own process group with a time limit (BENCH_TIMEOUT seconds each, or the longer default of
TIMEOUTS), its output shown as it comes and kept in var/bench/logs/. The figures are the BENCH lines the scripts
print (benchtools.report; the format is described there and in README.md). The table gives each figure, its target,
the ratio to the target (above 1: better than the target) and pass or miss; a script that failed, timed out or
printed no figure has a row saying so, and the others are still run. Exit status 0 whatever was missed: these are
measurements, not tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LOGS = ROOT / "var" / "bench" / "logs"
DEFAULT_TIMEOUT = 600
TIMEOUTS = {"bench_http.py": 1800}  # the demo database when migrations changed, then two or three servers
GRACE = 30  # seconds a script has after SIGTERM to stop what it started (bench_http's servers)


@dataclass
class Outcome:
    script: str
    seconds: float = 0.0
    problem: str = ""  # "exit 1", "timed out after 600 s" …
    figures: list[dict] = field(default_factory=list)


def scripts(words: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [path for path in found if not words or any(word in path.stem for word in words)]


def figure_line(line: str) -> dict | None:
    if not line.startswith("BENCH {"):
        return None
    try:
        figure = json.loads(line[len("BENCH ") :])
    except json.JSONDecodeError:
        return None
    return figure if isinstance(figure, dict) and figure.get("name") else None


def run_script(path: Path) -> Outcome:
    outcome = Outcome(path.name)
    timeout = int(os.environ.get("BENCH_TIMEOUT") or TIMEOUTS.get(path.name, DEFAULT_TIMEOUT))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    LOGS.mkdir(parents=True, exist_ok=True)
    print(f"\n=== {path.name} (at most {timeout} s; load average {load()}) ===", flush=True)
    started = time.monotonic()
    # Its own process group: the whole script (and whatever it started in that group) can be stopped at once.
    process = subprocess.Popen(
        [sys.executable, str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    reader = threading.Thread(target=_read, args=(process, outcome, LOGS / f"{path.stem}.log"), daemon=True)
    reader.start()
    try:
        process.wait(timeout=timeout)
        if process.returncode:
            outcome.problem = f"failed (exit {process.returncode})"
    except subprocess.TimeoutExpired:
        outcome.problem = f"timed out after {timeout} s"
        stop(process)
    except KeyboardInterrupt:
        stop(process)
        raise
    reader.join(timeout=10)
    outcome.seconds = time.monotonic() - started
    if not outcome.problem and not outcome.figures:
        outcome.problem = "printed no BENCH line"
    return outcome


def _read(process, outcome: Outcome, log: Path) -> None:
    with log.open("w", encoding="utf-8") as handle:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            handle.write(line)
            figure = figure_line(line.strip())
            if figure is not None:
                outcome.figures.append(figure)


def stop(process) -> None:
    """SIGTERM to the script's group (it stops its servers in its finally blocks), SIGKILL after the grace period."""
    for sig, wait in ((signal.SIGTERM, GRACE), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- the table -------------------------------------------------------------------------------------------------------


def number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def cells(figure: dict) -> tuple[str, str, str, str]:
    """(measured, target, ratio, result) of one BENCH line."""
    value, target, unit = figure.get("figure"), figure.get("target"), figure.get("unit", "")
    lower = figure.get("better", "lower") == "lower"
    target_cell = f"{'≤' if lower else '≥'} {number(target)} {unit}" if target is not None else "—"
    if value is None:
        return "—", target_cell, "—", "n/a"
    measured = f"{number(value)} {unit}"
    if target is None:
        return measured, target_cell, "—", "info"
    if value == 0:
        ratio = float("inf") if lower else 0.0
    else:
        ratio = target / value if lower else value / target
    return measured, target_cell, f"{ratio:.2f}", "pass" if ratio >= 1 else "MISS"


def table(outcomes: list[Outcome]) -> str:
    rows = []  # (figure, variant, measured, target, ratio, result, note)
    for outcome in outcomes:
        if outcome.problem:
            rows.append(
                (outcome.script, "", outcome.problem, "", "", "FAIL", f"log: var/bench/logs/{outcome.script[:-3]}.log")
            )
        # Figures sharing a name stand together, one line per variant (e.g. a page uncached, cached, cached in Redis).
        order = list(dict.fromkeys(figure["name"] for figure in outcome.figures))
        for name in order:
            first = True
            for figure in (figure for figure in outcome.figures if figure["name"] == name):
                rows.append(
                    (name if first else "", figure.get("variant") or "", *cells(figure), figure.get("note") or "")
                )
                first = False
    header = ("figure", "variant", "measured", "target", "ratio", "result", "note")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    right = {2, 3, 4}

    def line(row):
        return "  ".join(
            str(cell).rjust(widths[i]) if i in right else str(cell).ljust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def main(words: list[str]) -> int:
    started, load_before = time.monotonic(), load()
    outcomes = []
    try:
        for path in scripts(words):
            outcomes.append(run_script(path))
    except KeyboardInterrupt:
        print("\nInterrupted: the table of the scripts that finished.")
    print(f"\n=== make bench: {len(outcomes)} scripts in {time.monotonic() - started:.0f} s ===")
    print(f"load average (1, 5, 15 min) {load_before} at the start, {load()} at the end; {os.cpu_count()} CPUs")
    print("ratio: the target over the figure for a time, the figure over the target for a rate (above 1: met)\n")
    print(table(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
