"""make bench's runner (tests/benchmarks/run.py): the BENCH lines it reads, the table it prints, and a script that
fails or outlives its time limit shown as a row rather than stopping the run."""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent / "benchmarks"


def _module(name):
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # run.py and the scripts import benchtools as the scripts do
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runner():
    return _module("run")


def test_report_prints_a_line_the_runner_reads(runner, capsys):
    benchtools = _module("benchtools")
    benchtools.report("HTTP home /: req/s", 1234.5678, "req/s", 1000, "higher", "cached", "a note")
    line = capsys.readouterr().out.strip()
    assert runner.figure_line(line) == {
        "name": "HTTP home /: req/s",
        "figure": 1234.5678,
        "unit": "req/s",
        "target": 1000,
        "better": "higher",
        "variant": "cached",
        "note": "a note",
    }
    assert runner.figure_line("BENCH not json") is None
    assert runner.figure_line("median 0.3 s") is None


def test_ratio_and_result_follow_the_direction(runner):
    assert runner.cells({"figure": 0.25, "unit": "s", "target": 0.5, "better": "lower"}) == (
        "0.25 s",
        "≤ 0.5 s",
        "2.00",
        "pass",
    )
    assert runner.cells({"figure": 800, "unit": "req/s", "target": 1000, "better": "higher"})[2:] == ("0.80", "MISS")
    assert runner.cells({"figure": 3.0, "unit": "x", "target": None})[2:] == ("—", "info")
    assert runner.cells({"figure": None, "unit": "req/s", "target": 1000, "better": "higher"})[::3] == ("—", "n/a")


def test_table_groups_variants_and_shows_failed_scripts(runner):
    outcomes = [
        runner.Outcome("bench_http.py", figures=[
            {"name": "HTTP home /: req/s", "figure": 70, "unit": "req/s", "target": None, "variant": "uncached",
             "note": "before any cache 65 req/s"},
            {"name": "HTTP home /: req/s", "figure": 1200, "unit": "req/s", "target": 1000, "better": "higher",
             "variant": "cached"},
        ]),
        runner.Outcome("bench_broken.py", problem="failed (exit 1)"),
    ]  # fmt: skip
    lines = runner.table(outcomes).splitlines()
    home = [line for line in lines if "req/s" in line]
    assert home[0].startswith("HTTP home /: req/s") and "uncached" in home[0] and "before any cache" in home[0]
    assert home[1].startswith(" ") and "cached" in home[1] and "1.20" in home[1] and "pass" in home[1]
    broken = next(line for line in lines if line.startswith("bench_broken.py"))
    assert "failed (exit 1)" in broken and "FAIL" in broken


def test_a_script_that_fails_or_runs_too_long_is_a_row(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "LOGS", tmp_path / "logs")
    fine = tmp_path / "bench_fine.py"
    fine.write_text('print(\'BENCH {"name": "x", "figure": 1, "unit": "s", "target": 2}\')\n')
    failing = tmp_path / "bench_failing.py"
    failing.write_text("raise SystemExit(3)\n")
    slow = tmp_path / "bench_slow.py"
    slow.write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    silent = tmp_path / "bench_silent.py"
    silent.write_text("print('no figures')\n")
    monkeypatch.setenv("BENCH_TIMEOUT", "2")

    assert runner.run_script(fine).figures[0]["name"] == "x"
    assert runner.run_script(failing).problem == "failed (exit 3)"
    slow_outcome = runner.run_script(slow)
    assert slow_outcome.problem == "timed out after 2 s"
    assert slow_outcome.seconds < 30  # stopped by SIGTERM, not left to sleep its minute
    assert runner.run_script(silent).problem == "printed no BENCH line"
    assert (tmp_path / "logs" / "bench_silent.log").read_text() == "no figures\n"
