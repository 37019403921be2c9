"""Quality: how well themes recover known groups (purity, NMI, ARI), for tests and benchmarks.

Kept apart from fitting: it needs a ground truth the organizer never has, and it is what
`benchmarks/bench_themes.py quality` and the tests measure the methods with.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from casekit.themes.model import ThemeModel


def purity(labels: Sequence[int], truth: Sequence[Any]) -> float:
    """Share of units whose theme's majority true group is their own (outliers count as wrong)."""
    labels = list(labels)
    truth = list(truth)
    if not labels:
        return math.nan
    correct = 0
    for theme in set(labels):
        if theme < 0:
            continue
        groups = Counter(t for lab, t in zip(labels, truth) if lab == theme)
        correct += groups.most_common(1)[0][1]
    return correct / len(labels)


def evaluate(model: ThemeModel, truth: Sequence[Any]) -> dict[str, float]:
    """Purity, NMI and ARI of the model's themes against known groups (one per unit, in unit order)."""
    labels = model.labels.tolist()
    return {
        "purity": round(purity(labels, truth), 4),
        "nmi": round(float(normalized_mutual_info_score(truth, labels)), 4),
        "ari": round(float(adjusted_rand_score(truth, labels)), 4),
        "themes": sum(1 for t in model.themes if t.theme_id >= 0),
        "outliers": int((model.labels < 0).sum()),
    }
