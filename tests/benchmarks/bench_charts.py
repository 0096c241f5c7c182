"""Charts (portal/charts): the time per chart, the first one in a fresh process and each kind after a warm-up.

Run either way (both print the same figures; neither asserts a timing — the target is < 150 ms per chart after
the warm-up):

    make bench                                          # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_charts.py

First, in a new Python process: importing portal.charts (matplotlib, the font list, the CJK font) and drawing one
chart. Then, here: each of the fund's six charts (a J-curve of 40 quarters, paid-in / distributions / NAV, DPI and
TVPI, a funnel of 9 stages, a mix of 8 subsectors, 10 indicator scores) and the campaign's rating chart, 1 warm-up
+ 15 timed runs each, in Chinese: median, min, max, the process's own CPU time (the rest is waiting for a shared
CPU) and the SVG's size. Pure drawing: no database.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from benchtools import report

ROOT = Path(__file__).resolve().parents[2]
RUNS = 15
TARGET = 0.150  # seconds per chart after the warm-up


def _setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _first_chart() -> tuple[float, float]:
    """(seconds to import portal.charts, seconds for the first chart) in a new process."""
    script = (
        "import time, django; django.setup(); start = time.perf_counter(); "
        "from portal.charts.figures import Bar, bar_chart; imported = time.perf_counter(); "
        "bar_chart([Bar('创新药', 1)], title='细分领域'); done = time.perf_counter(); "
        "print(imported - start, done - imported)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    imported, first = (float(part) for part in output.split())
    return imported, first


def _charts() -> dict:
    from portal.charts.figures import Bar, Format, Series, bar_chart, funnel, line_chart

    quarters = [date(2017 + index // 4, 3 * (index % 4) + 1, 1) for index in range(40)]
    net = [Decimal(-30_000_000 * index + 2_000_000 * index * index // 3) for index in range(40)]
    paid = [Decimal(25_000_000 * min(index, 20)) for index in range(40)]
    distributed = [Decimal(max(0, 18_000_000 * (index - 12))) for index in range(40)]
    nav = [Decimal(22_000_000 * min(index, 24) - 5_000_000 * max(0, index - 24)) for index in range(40)]
    dpi = [(d / p if p else None) for d, p in zip(distributed, paid, strict=True)]
    tvpi = [((d + v) / p if p else None) for d, v, p in zip(distributed, nav, paid, strict=True)]
    stages = ["线索", "初筛", "立项", "尽职调查", "投决会", "签约", "拨付", "投后管理", "退出"]
    subsectors = ["创新药", "医疗器械", "体外诊断", "细胞与基因治疗", "合成生物", "CXO", "数字医疗", "其他"]
    return {
        "J-curve (40 quarters)": lambda: line_chart(
            [Series("累计净现金流", list(zip(quarters, net, strict=True)))],
            title="J曲线",
            y_format=Format.MONEY,
            zero_line=True,
        ),
        "paid-in / distributions / NAV": lambda: line_chart(
            [
                Series("实缴", list(zip(quarters, paid, strict=True))),
                Series("分配", list(zip(quarters, distributed, strict=True))),
                Series("净值", list(zip(quarters, nav, strict=True))),
            ],
            title="实缴、分配与净值",
            y_format=Format.MONEY,
        ),
        "DPI and TVPI": lambda: line_chart(
            [
                Series("DPI", list(zip(quarters, dpi, strict=True))),
                Series("TVPI", list(zip(quarters, tvpi, strict=True))),
            ],
            title="DPI与TVPI",
            y_format=Format.MULTIPLE,
        ),
        "funnel (9 stages)": lambda: funnel(
            [(stage, 300 // (index + 1)) for index, stage in enumerate(stages)], title="项目漏斗"
        ),
        "subsector mix (8 bars, money)": lambda: bar_chart(
            [Bar(name, Decimal(90_000_000 - 9_000_000 * index)) for index, name in enumerate(subsectors)],
            title="细分领域分布",
            value_format=Format.MONEY,
        ),
        "indicator scores (10)": lambda: bar_chart(
            [Bar(f"政策指标{index + 1}", Decimal(index) + Decimal("0.5"), full=10) for index in range(10)],
            title="政策指标得分",
        ),
        "campaign ratings (5 bars)": lambda: bar_chart(
            [Bar(str(rating), count) for rating, count in zip(range(1, 6), (0, 1, 3, 8, 4), strict=True)],
            title="政策效果评分",
            value_format=Format.COUNT,
        ),
    }


def run(out=print) -> dict:
    imported, first = _first_chart()
    out(f"charts: a new process imports portal.charts in {imported:.3f} s, draws its first chart in {first:.3f} s")
    out(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    _setup_django()
    from django.utils import translation

    medians = {}
    with translation.override("zh-hans"):
        for name, draw in _charts().items():
            chart = draw()  # warm-up
            assert chart.svg.startswith("<svg") and not chart.is_empty
            timings, cpu = [], []
            for _ in range(RUNS):
                start, start_cpu = time.perf_counter(), time.process_time()
                draw()
                timings.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            medians[name] = statistics.median(timings)
            out(
                f"  {name:32} median {medians[name] * 1000:6.1f} ms  min {min(timings) * 1000:6.1f} ms  "
                f"max {max(timings) * 1000:6.1f} ms  CPU {statistics.median(cpu) * 1000:6.1f} ms  "
                f"SVG {len(chart.svg) / 1024:5.1f} KB"
            )
    worst = max(medians.values())
    verdict = "met" if worst < TARGET else "MISSED"
    out(f"  slowest median {worst * 1000:.1f} ms (target {TARGET * 1000:.0f} ms): {verdict}")
    report(f"chart: the slowest of {len(medians)} kinds, median", worst * 1000, "ms", target=TARGET * 1000)
    report("chart: import and first chart in a new process", (imported + first) * 1000, "ms")
    return medians


def test_charts_benchmark():
    """Prints the figures (run with -s to see them); asserts only that every chart was drawn."""
    run()


if __name__ == "__main__":
    run()
