"""`casekit.outcomes(workspace)`: a DataFrame, one row per indicator; Kiwi stays unloaded until it is called."""

from __future__ import annotations

import subprocess
import sys

import casekit
from casekit.outcomes import ALL_KEYS, INDICATOR_KEYS, headline_table


def test_casekit_outcomes_returns_a_frame_of_indicators(seed_workspace) -> None:  # type: ignore[no-untyped-def]
    frame = casekit.outcomes(seed_workspace)
    assert (
        list(frame.columns) == list(ALL_KEYS)
        and tuple(frame.columns[: len(INDICATOR_KEYS)]) == INDICATOR_KEYS
    )
    assert frame["municipality"].nunique() == 9
    one = casekit.outcomes(seed_workspace, case="청주시", headline_only=True)
    assert one["headline"].all() and one["municipality"].eq("청주시").all()
    assert one["category"].is_unique
    table = headline_table(frame)
    assert table.loc[table["지자체"] == "수원시", "예산·사업비"].item().endswith("원")


def test_importing_the_package_loads_no_kiwi() -> None:
    code = "import casekit, casekit.outcomes, casekit.cli, sys; print('kiwipiepy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
