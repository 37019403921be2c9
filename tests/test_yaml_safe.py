"""The limited YAML loader: ordinary files load as `yaml.safe_load` loads them; hostile ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casekit.errors import CasekitError
from casekit.retrieval.evaluate import load_queries
from casekit.yaml_safe import YAMLLimitError, expanded_nodes, safe_load_file, safe_load_text
from tests.score.score_paths import ACTIVE, MANIFESTO
from tests.test_rubric import billion_laughs

QUERIES = Path(__file__).resolve().parent / "search" / "queries.yaml"


@pytest.mark.parametrize("path", [MANIFESTO, ACTIVE, QUERIES], ids=lambda p: p.name)
def test_shipped_yaml_loads_exactly_as_safe_load_does(path: Path) -> None:
    assert safe_load_file(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_expanded_count_follows_the_aliases_without_expanding_them() -> None:
    # three levels of 9: 1 (root map) + 3 keys + the lists: l0 = 1 + 9, l1 = 1 + 9*10, l2 = 1 + 9*91
    root = yaml.compose(billion_laughs(3))
    assert expanded_nodes(root) == 1 + 3 + 10 + 91 + 820
    # nine levels stand for 9**9 strings; the count stops at the limit instead of walking them
    assert expanded_nodes(yaml.compose(billion_laughs(9)), limit=1000) == 1001


def test_a_billion_laughs_is_refused() -> None:
    with pytest.raises(YAMLLimitError, match="aliases expand to more than 100,000 nodes"):
        safe_load_text(billion_laughs())
    assert safe_load_text(billion_laughs(3))["l2"][8][8] == ["lol"] * 9  # small reuse is allowed


def test_a_labelled_query_bomb_names_the_file(tmp_path: Path) -> None:
    bomb = tmp_path / "queries.yaml"
    bomb.write_text(billion_laughs() + "queries: *l8\n", encoding="utf-8")
    with pytest.raises(CasekitError, match=r"queries\.yaml: not a labelled query set \(aliases expand"):
        load_queries(bomb)
    assert len(load_queries(QUERIES)) > 10


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" + "#" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(YAMLLimitError, match="5,006 bytes, over the 4,096-byte limit"):
        safe_load_file(big, max_bytes=4096)
    assert safe_load_file(big) == {"a": 1}
