"""Collect ``bench_*.py`` here when this folder is run explicitly (``pytest tests/benchmarks -s``; ``make bench``
runs them as scripts instead, through run.py).

pyproject.toml keeps ``benchmarks`` out of the normal run (``norecursedirs``) and only collects
``test_*.py``; naming a folder on the command line still enters it, and this hook then picks up the
benchmark files. A file named on the command line is collected by pytest itself, so skip those here.
"""

import pytest


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".py" and file_path.name.startswith("bench_") and not parent.session.isinitpath(file_path):
        return pytest.Module.from_parent(parent, path=file_path)
    return None
