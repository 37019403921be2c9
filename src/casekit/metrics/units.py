"""Korean numerals, magnitude words and units: what a written quantity means in base units.

Case reports write the same amount many ways — "40,000천원", "4천만원", "0.4억원", and a table's
"(단위 : 백만원)" — so every figure is reduced to `value × multiplier = norm` in one base unit per
kind (원 or 달러 for money, 명, ㎡, kW …). Magnitude words scale every kind, not only money:
"35천명" is 35,000 persons and "3만㎡" is 30,000 ㎡. Durations keep the unit they were written in
(개월, 년, 주 …): converting years to months would invent precision the text does not claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Korean magnitude words. The big ones (만, 억, 조) close a four-digit group; the small ones scale
#: within a group, so "8천8백억" is (8천 + 8백) × 억.
SMALL_MAGNITUDES = {"십": 10.0, "백": 100.0, "천": 1_000.0}
BIG_MAGNITUDES = {"만": 1e4, "억": 1e8, "조": 1e12}
MAGNITUDE_SCALE = {**SMALL_MAGNITUDES, **BIG_MAGNITUDES, "십만": 1e5, "백만": 1e6, "천만": 1e7}
MAGNITUDE_PATTERN = "천만|백만|십만|조|억|만|천|백|십"


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What a base unit word means: its kind, the unit it normalizes to and the factor to get there."""

    kind: str
    unit: str  # normalized unit
    factor: float = 1.0  # written unit → normalized unit (ha → ㎡ is 10,000)
    currency: str | None = None


_KRW = UnitInfo("money", "원", 1.0, "KRW")
_USD = UnitInfo("money", "달러", 1.0, "USD")
_PYEONG = 400.0 / 121.0  # 1평 = 400/121 ㎡ by the 1963 metric conversion

#: Base unit words as they follow a number (after any magnitude word). Longest alternatives first
#: in `UNIT_PATTERN` so "개소" wins over "개" and "%p" over "%".
UNITS: dict[str, UnitInfo] = {
    "원": _KRW,
    "달러": _USD,
    "불": _USD,
    "$": _USD,
    "USD": _USD,
    "%p": UnitInfo("percent", "%p"),
    "%": UnitInfo("percent", "%"),
    "％": UnitInfo("percent", "%"),
    "퍼센트": UnitInfo("percent", "%"),
    "㎡": UnitInfo("area", "㎡"),
    "m2": UnitInfo("area", "㎡"),
    "m²": UnitInfo("area", "㎡"),
    "㎢": UnitInfo("area", "㎡", 1e6),
    "km2": UnitInfo("area", "㎡", 1e6),
    "ha": UnitInfo("area", "㎡", 1e4),
    "평": UnitInfo("area", "㎡", _PYEONG),
    "kW": UnitInfo("power", "kW"),
    "kw": UnitInfo("power", "kW"),
    "KW": UnitInfo("power", "kW"),
    "MW": UnitInfo("power", "kW", 1e3),
    "kWh": UnitInfo("other", "kWh"),
    "개월": UnitInfo("duration", "개월"),
    "년간": UnitInfo("duration", "년"),
    "년": UnitInfo("duration", "년"),
    "일간": UnitInfo("duration", "일"),
    "주간": UnitInfo("duration", "주"),
    "주": UnitInfo("duration", "주"),
    "시간": UnitInfo("duration", "시간"),
    "배": UnitInfo("ratio", "배"),
    "명": UnitInfo("persons", "명"),
    "인": UnitInfo("persons", "명"),
    "개소": UnitInfo("count", "개소"),
    "개사": UnitInfo("count", "개사"),
    "개팀": UnitInfo("count", "팀"),
    "개교": UnitInfo("count", "개교"),
    "개국": UnitInfo("count", "개국"),
    "개": UnitInfo("count", "개"),
    "팀": UnitInfo("count", "팀"),
    "곳": UnitInfo("count", "곳"),
    "건": UnitInfo("count", "건"),
    "회": UnitInfo("count", "회"),
    "대": UnitInfo("count", "대"),
    "부": UnitInfo("count", "부"),
    "권": UnitInfo("count", "권"),
    "실": UnitInfo("count", "실"),
    "호": UnitInfo("count", "호"),
    "가구": UnitInfo("count", "가구"),
    "세대": UnitInfo("count", "세대"),
    "종": UnitInfo("count", "종"),
    "편": UnitInfo("count", "편"),
    "그루": UnitInfo("count", "그루"),
    "마리": UnitInfo("count", "마리"),
    "가지": UnitInfo("count", "가지"),
    "상자": UnitInfo("count", "상자"),  # counters of things: boxes, sheets, pairs, sacks
    "장": UnitInfo("count", "장"),
    "켤레": UnitInfo("count", "켤레"),
    "포대": UnitInfo("count", "포대"),
    "개년도": UnitInfo("duration", "년"),  # "5개년도 계획": years, not a count of 개
    "개년": UnitInfo("duration", "년"),
    "박": UnitInfo("duration", "박"),  # nights of a trip ("2박3일"; the 일 is read with it)
    "두": UnitInfo("count", "두"),  # head of livestock ("한우 300두")
    "본부": UnitInfo("count", "본부"),  # organization units: "2본부 12과 45담당"
    "담당": UnitInfo("count", "담당"),
    "과": UnitInfo("count", "과"),
    "시장": UnitInfo("count", "시장"),  # markets counted as such ("전통시장 5시장")
    "포인트": UnitInfo("percent", "%p"),  # "2.1포인트 상승": percentage points
    "%P": UnitInfo("percent", "%p"),
    "P": UnitInfo("percent", "%p"),  # only beside 상승/하락/증가/감소 (checked where it is read)
    "toe": UnitInfo("other", "toe"),  # tonnes of oil equivalent
    "TOE": UnitInfo("other", "toe"),
    "㎥": UnitInfo("other", "㎥"),
    "m3": UnitInfo("other", "㎥"),
    "m³": UnitInfo("other", "㎥"),
    "세": UnitInfo("other", "세"),
    "점": UnitInfo("other", "점"),  # score points (가점 5점); 3호점, 점포 never reach it
    "톤": UnitInfo("other", "톤"),
    "kg": UnitInfo("other", "kg"),
    "km": UnitInfo("other", "km"),
    "m": UnitInfo(
        "other", "m"
    ),  # lengths ("아케이드 1,250m"); not before a Latin letter (checked where read)
    "면": UnitInfo("count", "면"),  # parking spaces, sides ("주차장 86면")
}

UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

#: Units a single Hangul character long are also common word starts ("회의", "대학", "부여"); a glued
#: Hangul character after them usually means the number is not a quantity of that unit. These are the
#: characters that may follow (particles and a few bound nouns); anything else Hangul rejects.
_PARTICLES = set("이의을를은는에과와도만씩당중로으까부이및간내")
STRICT_UNITS = {
    "면",
    "장",
    "시장",
    "두",
    "과",
    "박",
    "대",
    "부",
    "권",
    "실",
    "호",
    "인",
    "주",
    "종",
    "편",
    "세",
    "평",
    "배",
    "곳",
    "팀",
    "건",
    "회",
    "년",
    "점",
}
#: Looser units accept a glued noun ("11개기업", "126가구266명") except these word starts.
DENY_NEXT = {
    "명": set("품칭단예소절시령문함확패"),
    "개": set("선최발편정관혁방념요장설통인"),
    "건": set("립축설물강전너국실조의"),
    "회": set("의사원계관장차담견기복피전로수"),
    # 원권 names a bill or voucher ("1만원권 500백만원": the 1만원 is its face value, not an amount);
    # 원군 is its common misspelling.
    "원": set("장칙인료형리천금활예권군"),
    "개월": set(),
}
STRICT_ALLOWED = {
    "인": _PARTICLES | {"가"},
    "회": _PARTICLES | {"씩"},
    "세": {"이", "의", "미", "초", "부", "까", "~"},
}


def unit_accepts_next(unit: str, rest: str) -> bool:
    """Whether the text right after a unit lets it stand as that unit (not the start of a longer word)."""
    if not rest:
        return True
    ch = rest[0]
    if not ("가" <= ch <= "힣"):
        return True
    if unit in STRICT_UNITS:
        allowed = STRICT_ALLOWED.get(unit, _PARTICLES)
        if rest.startswith(("이상", "이하", "이내", "미만", "초과", "내외", "정도", "가량", "규모")):
            return True
        return ch in allowed
    deny = DENY_NEXT.get(unit)
    return not (deny and ch in deny)


_NUMBER_OR_MAGNITUDE = re.compile(r"(\d[\d,]*(?:\.\d+)?)|([십백천만억조])")


def parse_korean_number(text: str) -> tuple[float, float]:
    """Read a number with magnitude words ("1억 5천만", "40,000천", "2억 8천") as (value, multiplier).

    The multiplier is the magnitude of the largest word (1e8 for "1억 5천만") so `value` stays close to
    what was written: "1억 5천만" → (1.5, 1e8), "40,000천" → (40000, 1000), "12" → (12, 1).
    Korean groups digits by four: 만, 억, 조 close a group, 십/백/천 scale within it ("8천8백억" is
    8,800억). A small word right after 억 or 조 elides 만 ("2억 8천" is 2억 8천만), as Koreans write it.
    """
    if text.isascii():
        return float(text.replace(",", "")), 1.0  # a plain number, the common case
    tokens = _NUMBER_OR_MAGNITUDE.findall(text)
    numbers = [n for n, _ in tokens if n]
    if len(numbers) == 1 and tokens[0][0]:
        # One number then magnitude words ("3,287백만", "3천만"): keep the number as written.
        multiplier = 1.0
        for _, mag in tokens[1:]:
            multiplier *= MAGNITUDE_SCALE[mag]
        return float(numbers[0].replace(",", "")), multiplier
    total = 0.0
    group = 0.0
    pending: float | None = None
    largest = 1.0
    last_big = 0.0
    for num_text, mag in tokens:
        if num_text:
            if pending is not None:
                group += pending
            pending = float(num_text.replace(",", ""))
            continue
        if mag in SMALL_MAGNITUDES:
            group += (1.0 if pending is None else pending) * SMALL_MAGNITUDES[mag]
            largest = max(largest, SMALL_MAGNITUDES[mag])
        else:
            scale = BIG_MAGNITUDES[mag]
            total += (group + (0.0 if pending is None else pending)) * scale
            if group == 0.0 and pending is None:
                total = max(total, scale)  # a bare "만" means one 만
            group = 0.0
            largest = max(largest, scale)
            last_big = scale
        pending = None
    if pending is not None:
        group += pending
    if group:
        if last_big >= 1e8 and largest > 1.0 and group < 1e4 and _ends_small(text):
            group *= 1e4  # "2억 8천": the 만 is understood
        total += group
    return total / largest, largest


@lru_cache(maxsize=512)
def magnitude_words_scale(words: str) -> float | None:
    """The scale of magnitude words written after a number ("백만" → 1e6, " 억" → 1e8), or None when
    they hold a number of their own ("억 5천"), which `parse_korean_number` must read whole."""
    scale = 1.0
    for ch in words:
        if ch.isdigit():
            return None
        factor = MAGNITUDE_SCALE.get(ch)
        if factor is not None:
            scale *= factor
    return scale


def _ends_small(text: str) -> bool:
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in SMALL_MAGNITUDES


#: "(단위 : 백만원)", "(단위: 천원, 명)", "[단위:개소]", "단위 : %".
UNIT_DECLARATION = re.compile(r"[(\[<（]?\s*단\s*위\s*[:：]?\s*([^)\]>）]{1,20})[)\]>）]?")
_DECLARED = re.compile(rf"^(10*)?\s*({MAGNITUDE_PATTERN})?\s*({UNIT_PATTERN})$")  # "10억원", not "2017년"


@lru_cache(maxsize=1024)
def parse_unit_phrase(phrase: str) -> tuple[UnitInfo, float] | None:
    """Read a declared unit ("백만원", "10억원", "천불", "개", "%") as (unit, multiplier), or None."""
    phrase = phrase.strip().replace(" ", "")
    match = _DECLARED.match(phrase)
    if not match:
        return None
    count, mag, unit = match.groups()
    info = UNITS[unit]
    multiplier = float(count.replace(",", "")) if count else 1.0
    if mag:
        multiplier *= MAGNITUDE_SCALE[mag]
    return info, multiplier * info.factor
