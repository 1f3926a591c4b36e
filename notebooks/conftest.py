"""Each numbered notebook runs as one test under nbmake (``make test``, ``make notebooks``).

nbmake's ``--nbmake-timeout`` bounds one cell; this bounds a whole notebook (pytest-timeout), generously:
the quick settings that CI uses take a few minutes at most, the laptop settings a few more.
"""

from __future__ import annotations

import pytest

#: Seconds one notebook may run in all.
NOTEBOOK_TIMEOUT_S = 1800


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if getattr(item, "nbmake", False) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(NOTEBOOK_TIMEOUT_S))
