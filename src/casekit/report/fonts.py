"""Hangul in matplotlib: the default font has no Korean glyphs and draws tofu boxes.

koreanize-matplotlib ships NanumGothic inside the package (no download); `use_korean_font()`
registers it and makes it the default. Call it before drawing any figure with Korean text.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib
from matplotlib import rcParams


@lru_cache(maxsize=1)
def use_korean_font() -> str:
    """Register the bundled NanumGothic with matplotlib, make it the default, return its name."""
    matplotlib.use("Agg", force=False)
    # koreanize-matplotlib imports pyplot, which fixes the backend: it is imported only after the line above.
    import koreanize_matplotlib  # noqa: F401  (registers NanumGothic on import)

    rcParams["font.family"] = "NanumGothic"
    rcParams["axes.unicode_minus"] = False  # NanumGothic lacks U+2212; use ASCII hyphen-minus
    return "NanumGothic"
