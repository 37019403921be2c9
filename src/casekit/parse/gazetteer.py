"""Korean local governments: provinces (광역) with their abbreviations, and the 기초 governments in each.

Used to read 지자체명 ("경상남도 김해시" → 경남, 김해시, 시), to recover the region when a report names
only the municipality ("진안군" → 전북), and to tell real municipality names from words that merely end
in 시/군/구 (도시, 지구, 연구). Names follow the 2023 map; merged or moved ones (청원군, 연기군, 군위군)
are kept so older reports still resolve.
"""

from __future__ import annotations

import re

#: Province spellings → the abbreviation the competition's tables use.
PROVINCES: dict[str, str] = {}
for _abbr, _names in {
    "서울": "서울특별시 서울시 서울",
    "부산": "부산광역시 부산시 부산",
    "대구": "대구광역시 대구시 대구",
    "인천": "인천광역시 인천시 인천",
    "광주": "광주광역시 광주",
    "대전": "대전광역시 대전시 대전",
    "울산": "울산광역시 울산시 울산",
    "세종": "세종특별자치시 세종시 세종",
    "경기": "경기도 경기",
    "강원": "강원특별자치도 강원도 강원",
    "충북": "충청북도 충북",
    "충남": "충청남도 충남",
    "전북": "전북특별자치도 전라북도 전북",
    "전남": "전라남도 전남",
    "경북": "경상북도 경북",
    "경남": "경상남도 경남",
    "제주": "제주특별자치도 제주도 제주",
}.items():
    for _name in _names.split():
        PROVINCES[_name] = _abbr

MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "서울": tuple(
        "종로구 중구 용산구 성동구 광진구 동대문구 중랑구 성북구 강북구 도봉구 노원구 은평구 서대문구 마포구 양천구 "
        "강서구 구로구 금천구 영등포구 동작구 관악구 서초구 강남구 송파구 강동구".split()
    ),
    "부산": tuple(
        "중구 서구 동구 영도구 부산진구 동래구 남구 북구 해운대구 사하구 금정구 강서구 연제구 수영구 사상구 기장군".split()
    ),
    "대구": tuple("중구 동구 서구 남구 북구 수성구 달서구 달성군 군위군".split()),
    "인천": tuple("중구 동구 미추홀구 남구 연수구 남동구 부평구 계양구 서구 강화군 옹진군".split()),
    "광주": tuple("동구 서구 남구 북구 광산구".split()),
    "대전": tuple("동구 중구 서구 유성구 대덕구".split()),
    "울산": tuple("중구 남구 동구 북구 울주군".split()),
    "세종": ("세종특별자치시", "세종시"),
    "경기": tuple(
        "수원시 성남시 의정부시 안양시 부천시 광명시 평택시 동두천시 안산시 고양시 과천시 구리시 남양주시 오산시 "
        "시흥시 군포시 의왕시 하남시 용인시 파주시 이천시 안성시 김포시 화성시 광주시 양주시 포천시 여주시 "
        "연천군 가평군 양평군".split()
    ),
    "강원": tuple(
        "춘천시 원주시 강릉시 동해시 태백시 속초시 삼척시 홍천군 횡성군 영월군 평창군 정선군 철원군 화천군 "
        "양구군 인제군 고성군 양양군".split()
    ),
    "충북": tuple(
        "청주시 충주시 제천시 보은군 옥천군 영동군 증평군 진천군 괴산군 음성군 단양군 청원군".split()
    ),
    "충남": tuple(
        "천안시 공주시 보령시 아산시 서산시 논산시 계룡시 당진시 금산군 부여군 서천군 청양군 홍성군 예산군 태안군 "
        "연기군".split()
    ),
    "전북": tuple(
        "전주시 군산시 익산시 정읍시 남원시 김제시 완주군 진안군 무주군 장수군 임실군 순창군 고창군 부안군".split()
    ),
    "전남": tuple(
        "목포시 여수시 순천시 나주시 광양시 담양군 곡성군 구례군 고흥군 보성군 화순군 장흥군 강진군 해남군 "
        "영암군 무안군 함평군 영광군 장성군 완도군 진도군 신안군".split()
    ),
    "경북": tuple(
        "포항시 경주시 김천시 안동시 구미시 영주시 영천시 상주시 문경시 경산시 의성군 청송군 영양군 영덕군 "
        "청도군 고령군 성주군 칠곡군 예천군 봉화군 울진군 울릉군 군위군".split()
    ),
    "경남": tuple(
        "창원시 진주시 통영시 사천시 김해시 밀양시 거제시 양산시 의령군 함안군 창녕군 고성군 남해군 하동군 "
        "산청군 함양군 거창군 합천군".split()
    ),
    "제주": ("제주시", "서귀포시"),
}

#: Municipality → the provinces that have one of that name (중구 is in six).
_REGIONS_OF: dict[str, set[str]] = {}
for _region, _names_tuple in MUNICIPALITIES.items():
    for _m in _names_tuple:
        _REGIONS_OF.setdefault(_m, set()).add(_region)

_PROVINCE_RE = "|".join(sorted(map(re.escape, PROVINCES), key=len, reverse=True))
_MUNICIPALITY_RE = "|".join(sorted(map(re.escape, _REGIONS_OF), key=len, reverse=True))
#: "경기도 수원시", "서울특별시 금천구", "경남 김해시"
REGION_AND_MUNICIPALITY = re.compile(rf"({_PROVINCE_RE})\s*({_MUNICIPALITY_RE})")
#: A known municipality name standing as a word ("진안군청", "진안군의" count; "도시재생" does not).
MUNICIPALITY_WORD = re.compile(rf"(?<![가-힣])({_MUNICIPALITY_RE})(?=청|의|은|는|이|가|에|\s|$|[^가-힣])")


def region_of(province: str) -> str | None:
    """'경상남도' → '경남'; None when the word is no province."""
    return PROVINCES.get(province.strip())


def regions_of_municipality(name: str) -> set[str]:
    return set(_REGIONS_OF.get(name, set()))


def group_of(municipality: str | None) -> str | None:
    """시/군/구 from the name's last syllable: the competition groups cases by it."""
    if not municipality:
        return None
    last = municipality[-1]
    return last if last in "시군구" else None


def resolve_local_government(text: str) -> tuple[str | None, str | None]:
    """(region, municipality) named in `text`: '경기도 수원시' → ('경기', '수원시').

    A lone province that is itself a municipality-level government (세종특별자치시) counts as both;
    a lone municipality gets its region when the name is unique in the country.
    """
    match = REGION_AND_MUNICIPALITY.search(text)
    if match:
        return PROVINCES[match.group(1)], match.group(2)
    tokens = re.findall(r"[가-힣]+", text)
    region = next((PROVINCES[t] for t in tokens if t in PROVINCES), None)
    municipality = next((t for t in tokens if t in _REGIONS_OF and t not in PROVINCES), None)
    if municipality is None:
        found = MUNICIPALITY_WORD.search(text)
        municipality = found.group(1) if found else None
    if municipality and region is None:
        regions = _REGIONS_OF.get(municipality, set())
        region = next(iter(regions)) if len(regions) == 1 else None
    if municipality is None and region == "세종":
        municipality = "세종특별자치시"
    return region, municipality
