"""Matching one enterprise demand against 10,000 library entries (talent/matching.py): target a median under 300 ms
per query once the library's index is built; the build (cutting 10,000 texts into words) is printed beside it.

Run either way (both print the same figures; neither asserts a timing):

    make bench                                                  # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_talent_matching.py

The library (fixed seed): 10,000 entries of four kinds (projects, demands, patents, experts), each a title and a
description of 20–40 words drawn from a mixed Chinese and English vocabulary of the portal's industries, with one
or two theme tags. The queries are 25 demands drawn the same way; each asks for the ten best projects, patents and
experts, explained (shared words and themes).
"""

from __future__ import annotations

import random
import statistics
import time

from benchtools import Clock, load, report, setup_django

ENTRIES = 10_000
QUERIES = 25
TARGET_MS = 300
THEMES = ("biomed", "nev", "ic", "ngit", "materials", "smart_mfg", "clean_energy")
VOCABULARY = (
    "细胞治疗 慢病毒 载体 抗体 偶联 药物 临床 注册 医疗器械 影像 诊断 基因 编辑 疫苗 合成生物 发酵 纯化 制剂",
    "电池 固态 电解质 储能 热管理 电机 电控 充电桩 氢能 燃料电池 光伏 逆变器 风电 碳捕集",
    "芯片 封装 测试 晶圆 光刻 传感器 射频 功率器件 碳化硅 氮化镓",
    "工业机器人 视觉检测 数控 减速器 伺服 数字孪生 工业互联网 大模型 算法 数据 平台",
    "石墨烯 复合材料 涂层 陶瓷 高分子 稀土",
    "antibody vaccine CAR-T GMP clinical trial imaging diagnostics gene editing bioreactor",
    "battery solid-state electrolyte charging hydrogen fuel cell photovoltaic inverter",
    "semiconductor packaging wafer lithography sensor RF power GaN SiC chiplet",
    "robot vision CNC servo digital twin AI model algorithm platform graphene composite coating ceramic",
)
WORDS = [word for line in VOCABULARY for word in line.split()]
KINDS = ("project", "demand", "patent", "expert")


def text(rng) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 40)))


def library(rng):
    from talent.matching import Entry

    return [
        Entry((KINDS[n % 4], n), KINDS[n % 4], text(rng), frozenset(rng.sample(THEMES, rng.randint(1, 2))))
        for n in range(ENTRIES)
    ]


def run() -> dict:
    setup_django()
    from talent.matching import Entry, Matcher, terms

    rng = random.Random(12)
    entries = library(rng)
    terms("预热 warm-up")  # jieba's dictionary loads on first use (~1 s): not part of either figure
    build = Clock()
    with build:
        matcher = Matcher(entries)
    queries = [Entry(("query", n), "demand", text(rng), frozenset(rng.sample(THEMES, 1))) for n in range(QUERIES)]
    matcher.suggest(queries[0], kinds={"project", "patent", "expert"})  # warm-up
    wall, cpu, explained = [], [], 0
    for query in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        suggestions = matcher.suggest(query, kinds={"project", "patent", "expert"}, limit=10)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        explained += sum(1 for s in suggestions if s.shared_terms)
    figures = {
        "median_ms": statistics.median(wall) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "max_ms": max(wall) * 1000,
        "explained": explained,
    }
    print(f"\nMatching one demand against {ENTRIES:,} library entries (load {load()})")
    print(f"  index build (word cutting + TF-IDF): {build}")
    print(f"  {len(matcher.words):,} distinct terms")
    print(
        f"  one query, ten suggestions explained: median {figures['median_ms']:.1f} ms "
        f"(CPU {figures['cpu_ms']:.1f} ms), slowest {figures['max_ms']:.1f} ms of {QUERIES}; target {TARGET_MS} ms"
    )
    print(f"  suggestions naming shared words: {explained} of {QUERIES * 10}")
    report(f"matching one demand against {ENTRIES:,} entries: median", figures["median_ms"], "ms", target=TARGET_MS)
    report(f"matching: index build of {ENTRIES:,} entries", statistics.median(build.wall), "s")
    return figures


def test_talent_matching_benchmark():
    figures = run()
    assert figures["explained"] > 0  # a figure, not a timing: every query found explained matches


if __name__ == "__main__":
    run()
