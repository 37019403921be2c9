"""Synthetic 매니페스토 우수사례 소개서 case books, for benchmarks and tests that need volume.

The real data is nine cases; speed, memory and clustering need thousands. This generator writes text in
the same form as the 2017 case book (the header lines " 매니페스토 우수사례 소개서", "지자체명 …",
"사 례 명 …", "분    야 …( ○ )…", "관련공약", "사례요약", □/○ headings, bullets with Korean quantities and
"(단위 : 백만원)" tables) over the five 2017 fields, 17 regions and 시/군/구 municipalities.

Each field has several themes with their own vocabulary, so clustering has real structure to find, while
shared administrative vocabulary, synonyms and random sentence templates keep retrieval from being trivial.
Everything is drawn from one `random.Random(seed)`: the same (n_cases, seed) always gives the same text.

    from benchmarks.synth import generate_case_book, synth_cases, write_archive
    text = generate_case_book(20, seed=1)            # one book, 20 cases
    cases = synth_cases(20, seed=1)                  # same cases with ground truth (field, theme …)
    write_archive("/tmp/archive", 10_000, seed=0)    # book_00000.txt … plus labels.jsonl
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

#: 2017 competition fields, in form order (the 분야 line checks one of them).
FIELDS = ["사회적경제", "도시재생", "청년문제해소", "참여예산제", "지역문화활성화"]

#: 광역 name as written in 지자체명 → (abbreviation, municipalities as (name, group)).
REGIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "서울특별시": (
        "서울",
        [("금천구", "구"), ("성북구", "구"), ("마포구", "구"), ("노원구", "구"), ("강동구", "구")],
    ),
    "부산광역시": ("부산", [("해운대구", "구"), ("사하구", "구"), ("기장군", "군"), ("부산진구", "구")]),
    "대구광역시": ("대구", [("수성구", "구"), ("달서구", "구"), ("달성군", "군")]),
    "인천광역시": ("인천", [("남동구", "구"), ("부평구", "구"), ("강화군", "군"), ("옹진군", "군")]),
    "광주광역시": ("광주", [("광산구", "구"), ("북구", "구"), ("남구", "구")]),
    "대전광역시": ("대전", [("유성구", "구"), ("대덕구", "구"), ("서구", "구")]),
    "울산광역시": ("울산", [("울주군", "군"), ("중구", "구"), ("동구", "구")]),
    "세종특별자치시": ("세종", [("세종시", "시")]),
    "경기도": (
        "경기",
        [
            ("수원시", "시"),
            ("남양주시", "시"),
            ("이천시", "시"),
            ("여주시", "시"),
            ("시흥시", "시"),
            ("양평군", "군"),
            ("가평군", "군"),
            ("연천군", "군"),
        ],
    ),
    "강원도": (
        "강원",
        [("원주시", "시"), ("춘천시", "시"), ("강릉시", "시"), ("홍천군", "군"), ("인제군", "군")],
    ),
    "충청북도": ("충북", [("청주시", "시"), ("충주시", "시"), ("옥천군", "군"), ("괴산군", "군")]),
    "충청남도": ("충남", [("천안시", "시"), ("아산시", "시"), ("홍성군", "군"), ("부여군", "군")]),
    "전라북도": ("전북", [("정읍시", "시"), ("전주시", "시"), ("완주군", "군"), ("진안군", "군")]),
    "전라남도": ("전남", [("순천시", "시"), ("여수시", "시"), ("담양군", "군"), ("해남군", "군")]),
    "경상북도": (
        "경북",
        [("경산시", "시"), ("포항시", "시"), ("안동시", "시"), ("의성군", "군"), ("청송군", "군")],
    ),
    "경상남도": ("경남", [("김해시", "시"), ("창원시", "시"), ("거창군", "군"), ("함양군", "군")]),
    "제주특별자치도": ("제주", [("제주시", "시"), ("서귀포시", "시")]),
}


@dataclass(frozen=True)
class Theme:
    """One kind of programme within a field: its own vocabulary, which clustering should recover."""

    key: str
    titles: tuple[str, ...]  # "{m}" is the municipality stem (수원, 금천 …)
    pledges: tuple[str, ...]
    programs: tuple[str, ...]  # named programmes, used in headings and bullets
    targets: tuple[str, ...]  # who benefits
    actions: tuple[str, ...]  # what was done (verb phrases ending in a noun)
    outcomes: tuple[str, ...]  # outcome units: "{n}" a count, "{money}" an amount in 천원
    problems: tuple[str, ...]  # background problems


THEMES: dict[str, list[Theme]] = {
    "사회적경제": [
        Theme(
            "사회적기업육성",
            (
                "사람중심 {m}형 사회적기업 육성",
                "함께 성장하는 {m} 사회적경제 생태계 조성",
                "사회적기업으로 여는 {m}의 내일",
            ),
            ("사회적기업 100개 육성", "사회적경제 활성화 기본조례 제정", "사회적경제지원센터 설립"),
            (
                "사회적기업 아카데미",
                "예비 사회적기업 지정 컨설팅",
                "사회적경제 창업보육센터",
                "사회적기업 협업화 지원사업",
            ),
            ("예비 사회적기업가", "사회적기업 종사자", "취약계층 근로자"),
            ("창업자금 지원", "경영 컨설팅 제공", "사업개발비 지원", "입주 공간 제공", "인증 컨설팅 실시"),
            (
                "사회적기업 {n}개소 신규 지정",
                "창업자금 {n}개팀 {money}천원 지원",
                "사업개발비 {n}개기업 {money}천원 지원",
            ),
            ("사회적기업의 영세성과 낮은 자생력", "사회적가치에 대한 시민 인식 부족"),
        ),
        Theme(
            "협동조합",
            ("{m} 협동조합 활성화 기반마련", "협동으로 키우는 {m} 골목경제", "{m}형 협동조합 네트워크 구축"),
            ("협동조합 설립 지원", "소상공인 협동조합 활성화", "협동조합 지원센터 운영"),
            ("협동조합 설립 교육", "협동조합 협의회", "소상공인 공동브랜드 사업", "협동조합 공동물류센터"),
            ("소상공인", "협동조합 조합원", "자영업자"),
            ("설립 상담 실시", "공동장비 구입 지원", "공동브랜드 개발", "조합원 역량강화 교육 실시"),
            ("협동조합 {n}개 신규 설립", "조합원 {n}명 교육 이수", "공동장비 {n}건 {money}천원 지원"),
            ("골목상권 침체와 자영업자 폐업 증가", "개별 소상공인의 협상력 부족"),
        ),
        Theme(
            "공공구매판로",
            (
                "사회적경제기업 판로 확대로 여는 {m} 상생경제",
                "{m} 공공구매 1% 달성 프로젝트",
                "착한 소비 도시 {m}",
            ),
            ("사회적경제기업 제품 공공구매 확대", "사회적경제 상설매장 설치"),
            ("사회적경제 나눔장터", "사회적경제기업 상설매장", "공공구매 박람회", "온라인 쇼핑몰 입점 지원"),
            ("사회적경제기업", "마을기업", "자활기업"),
            ("우선구매 목표제 시행", "상설매장 운영", "판촉 행사 개최", "온라인 판로 개척"),
            ("공공구매 실적 {money}천원 달성", "상설매장 {n}개소 운영", "나눔장터 {n}회 개최"),
            ("판로 부족으로 인한 매출 정체", "공공기관의 구매 실적 저조"),
        ),
        Theme(
            "경력단절여성",
            ("경력단절 여성에게 내일이 있는 {m}", "{m} 여성 새로일하기 프로젝트", "엄마의 두 번째 출근, {m}"),
            ("여성 일자리 창출", "경력단절여성 재취업 지원", "여성새로일하기센터 확대"),
            ("여성새로일하기센터", "경력단절여성 직업교육훈련", "여성 기업인턴제", "재취업 상담 창구"),
            ("경력단절 여성", "출산·육아로 퇴직한 여성", "미취업 여성"),
            ("직업교육훈련 실시", "취업 상담 및 알선", "기업 인턴 연계", "집단상담 프로그램 운영"),
            ("직업교육훈련 {n}명 수료", "취업 연계 {n}명", "기업인턴 {n}개기업 {n2}명 참여"),
            ("결혼·임신·출산·육아기 여성의 경력단절", "여성 고용률이 전국 평균보다 낮음"),
        ),
    ],
    "도시재생": [
        Theme(
            "전통시장",
            ("전통시장이 살아나는 {m}", "{m} 명품시장 육성 프로젝트", "청년이 찾는 {m} 전통시장"),
            ("전통시장 현대화", "전통시장 활성화", "야시장 조성"),
            ("전통시장 시설현대화 사업", "문화관광형 시장 육성", "청년몰 조성", "야시장 운영"),
            ("시장 상인", "전통시장 방문객", "청년 상인"),
            ("아케이드 설치", "공동 마케팅 추진", "주차장 확충", "상인 교육 실시"),
            ("방문객 {n}% 증가", "빈 점포 {n}개 해소", "시설현대화 {money}천원 투입"),
            ("대형마트 진출로 인한 전통시장 쇠퇴", "빈 점포 증가와 상인 고령화"),
        ),
        Theme(
            "구도심재생",
            ("다시 뛰는 {m} 원도심", "{m} 구도심 도시재생 뉴딜", "골목이 살아나는 {m}"),
            ("원도심 활성화", "도시재생 뉴딜사업 추진", "빈집 정비"),
            ("도시재생지원센터", "빈집 정비사업", "골목길 경관 개선", "주민 공동체 거점 조성"),
            ("원도심 주민", "도시재생 주민협의체", "골목 상인"),
            ("빈집 리모델링", "경관 개선 공사", "주민 공모사업 추진", "거점시설 조성"),
            ("빈집 {n}동 정비", "유동인구 {n}% 증가", "국비 {money}천원 확보"),
            ("신도시 개발로 인한 원도심 공동화", "노후 건축물과 빈집 증가"),
        ),
        Theme(
            "주거환경",
            ("살기 좋은 {m} 마을 만들기", "{m} 저층 주거지 환경개선", "안전한 골목, 행복한 {m}"),
            ("노후 주거지 개선", "집수리 지원", "마을만들기 지원"),
            ("희망의 집수리 사업", "마을만들기 공모", "안심골목 조성", "공동체 텃밭"),
            ("저소득 가구", "마을 공동체", "홀몸 어르신"),
            ("집수리 지원", "방범 시설 설치", "마을 공모사업 지원", "담장 허물기 추진"),
            ("집수리 {n}가구 지원", "마을공동체 {n}개 육성", "안심골목 {n}개소 조성"),
            ("노후 주택과 열악한 기반시설", "범죄 불안과 공동체 해체"),
        ),
    ],
    "청년문제해소": [
        Theme(
            "청년창업",
            ("청년 창업의 꿈이 이루어지는 {m}", "{m} 청년 스타트업 밸리", "청년 창업가 1,000명 도시 {m}"),
            ("청년 창업 지원", "창업보육센터 확대", "청년 창업자금 지원"),
            ("청년 창업지원센터", "창업 사관학교", "청년 창업 공모전", "공유 오피스"),
            ("청년 창업가", "예비 창업자", "대학생 창업동아리"),
            ("창업 공간 제공", "멘토링 실시", "시제품 제작 지원", "투자 유치 연계"),
            ("청년 창업 {n}개팀 지원", "창업기업 매출 {money}천원 달성", "신규 고용 {n}명"),
            ("청년 실업률 상승", "창업 초기 자금과 공간 부족"),
        ),
        Theme(
            "청년일자리",
            (
                "청년희망도시 {m}의 일자리 늘리기",
                "양질의 일자리가 최고의 복지 {m}",
                "{m} 청년 취업 날개 달기",
            ),
            ("매년 일자리 1만개 창출", "청년 일자리 창출", "중소기업 인턴제 시행"),
            ("채용박람회", "대학 연합 취업캠프", "중소기업 인턴제", "일자리센터", "해외 무역사절단"),
            ("구직 청년", "지역 대학 졸업생", "중소기업"),
            ("취업 알선", "채용박람회 개최", "기업 유치", "취업 캠프 운영", "국외 박람회 참가 지원"),
            ("일자리 {n}개 창출", "취업 알선 {n}명", "채용박람회 {n}회 개최", "MOU {n}건 체결"),
            ("청년층의 수도권 유출", "지역 기업의 구인난과 청년 구직난의 불일치"),
        ),
        Theme(
            "청년주거",
            ("청년이 머무는 도시 {m}", "{m} 청년 주거 사다리", "청년 셰어하우스 {m}"),
            ("청년 임대주택 공급", "청년 주거비 지원"),
            ("청년 셰어하우스", "청년 월세 지원", "사회주택 공급", "청년 공간 조성"),
            ("1인 청년 가구", "사회초년생", "대학생"),
            ("임대주택 공급", "월세 지원", "보증금 이자 지원", "청년 커뮤니티 공간 운영"),
            ("청년 주택 {n}호 공급", "월세 지원 {n}명", "보증금 {money}천원 지원"),
            ("청년 주거비 부담 증가", "대학가 원룸 공급 부족"),
        ),
    ],
    "참여예산제": [
        Theme(
            "주민참여예산",
            ("주민이 직접 만드는 {m} 예산", "{m} 주민참여예산 100억 시대", "시민의 손으로 짜는 {m} 살림"),
            ("주민참여예산 확대", "주민참여예산위원회 운영"),
            ("주민참여예산위원회", "예산학교", "동 단위 지역회의", "주민제안 사업 공모"),
            ("주민참여예산위원", "지역 주민", "동 주민자치위원"),
            ("예산학교 운영", "주민 제안 접수", "총회 투표 실시", "위원 역량 교육"),
            ("주민제안 {n}건 접수", "예산 반영 {money}천원", "예산학교 {n}명 수료"),
            ("예산 편성 과정의 주민 참여 부족", "행정 주도 예산에 대한 불신"),
        ),
        Theme(
            "청소년참여",
            ("청소년이 만드는 {m} 예산", "{m} 청소년 참여예산 학교", "미래세대가 참여하는 {m}"),
            ("청소년 참여 확대", "청소년 의회 운영"),
            ("청소년 참여예산위원회", "청소년 의회", "학교 찾아가는 예산교실", "청소년 정책 제안대회"),
            ("청소년", "초·중·고 학생", "학교 운영위원회"),
            ("찾아가는 교육 실시", "정책 제안 대회 개최", "청소년 위원 위촉", "모의 예산 편성"),
            ("청소년 위원 {n}명 위촉", "제안 사업 {n}건 반영", "교육 {n}회 실시"),
            ("청소년의 정책 참여 기회 부족", "미래세대의 지방자치 무관심"),
        ),
        Theme(
            "온라인참여",
            ("스마트폰으로 참여하는 {m} 예산", "{m} 온라인 시민 투표", "열린 재정 {m}"),
            ("재정 정보 공개 확대", "온라인 주민투표 도입"),
            ("온라인 투표 시스템", "재정 공시 포털", "모바일 제안 창구", "예산 시민감시단"),
            ("시민", "직장인", "온라인 참여자"),
            ("모바일 투표 실시", "재정 정보 공개", "시민감시단 운영", "온라인 제안 접수"),
            ("온라인 투표 {n}명 참여", "재정 공시 {n}건", "제안 {n}건 접수"),
            ("직장인 등 주민의 낮은 참여율", "재정 정보의 폐쇄성"),
        ),
    ],
    "지역문화활성화": [
        Theme(
            "지역축제",
            ("{m} 대표 축제로 여는 문화관광", "세계로 가는 {m} 축제", "시민이 주인인 {m} 축제"),
            ("대표 축제 육성", "문화관광 활성화"),
            ("지역 대표 축제", "야간 문화 행사", "축제 자원봉사단", "지역 특산물 장터"),
            ("관광객", "지역 예술인", "축제 자원봉사자"),
            ("축제 프로그램 개발", "관광 상품 연계", "자원봉사단 운영", "홍보 마케팅 추진"),
            ("관광객 {n}만명 방문", "지역경제 파급효과 {money}천원", "자원봉사 {n}명 참여"),
            ("관 주도 축제의 획일성", "체류형 관광 자원 부족"),
        ),
        Theme(
            "생활문화",
            ("일상이 예술이 되는 {m}", "{m} 생활문화 동아리 천국", "문화가 흐르는 {m} 마을"),
            ("생활문화센터 건립", "작은도서관 확충", "문화 동아리 지원"),
            ("생활문화센터", "작은도서관", "문화 동아리", "찾아가는 문화예술교육"),
            ("생활문화 동호인", "어린이와 학부모", "문화 소외 지역 주민"),
            ("동아리 활동 지원", "작은도서관 조성", "문화예술교육 실시", "공연 발표회 개최"),
            ("문화 동아리 {n}개 지원", "작은도서관 {n}개소 조성", "문화예술교육 {n}명 참여"),
            ("농촌 지역의 문화 향유 기회 부족", "문화시설의 도심 편중"),
        ),
        Theme(
            "예술시장",
            ("예술이 있는 {m} 예술시장", "{m} 문화예술 골목 만들기", "청년 예술가와 함께하는 {m}"),
            ("문화예술 창작공간 조성", "예술인 지원 확대"),
            ("예술시장", "창작 레지던시", "청년 예술가 입주 공간", "문화예술 골목 투어"),
            ("청년 예술가", "공예 작가", "시장 상인"),
            ("창작공간 제공", "공방 입주 지원", "문화예술 공연 개최", "골목 투어 운영"),
            ("예술가 {n}명 입주", "공연 {n}회 개최", "방문객 {n}% 증가"),
            ("예술인의 창작 공간 부족", "쇠퇴한 시장의 공실 증가"),
        ),
        Theme(
            "문화유산",
            ("역사가 살아 숨쉬는 {m}", "{m} 문화유산 야행", "문화재와 함께하는 {m} 관광"),
            ("문화유산 관광자원화", "역사문화 탐방로 조성"),
            ("문화재 야행", "역사문화 탐방로", "문화유산 해설사", "향교 서원 활용사업"),
            ("문화유산 해설사", "관광객", "역사 동아리"),
            ("탐방로 조성", "해설 프로그램 운영", "야간 관광 프로그램 개발", "문화재 보수 정비"),
            ("탐방객 {n}만명 방문", "해설사 {n}명 양성", "국비 {money}천원 확보"),
            ("문화유산의 관광 활용 부족", "문화재 주변 지역 쇠퇴"),
        ),
    ],
}

# Shared administrative vocabulary: every case uses it, so it blurs the theme signal on purpose.
_SHARED_ACTIONS = (
    "민관협력 거버넌스 구축",
    "전담 조직 신설",
    "관련 조례 제정",
    "유관기관 업무협약 체결",
    "성과 평가 및 환류",
    "시민 홍보 강화",
    "추진 실적 점검",
    "전문가 자문단 운영",
)
_HEADINGS = {
    "background": ("추진배경", "추진 배경 및 목적", "공약배경", "추진목적"),
    "strategy": ("추진전략", "추진방향", "추진개요", "추진 체계"),
    "process": ("추진내용", "주요 추진사항", "공약이행을 위한 노력", "추진 과정"),
    "outcome": ("주요성과", "추진성과", "성과 및 효과", "추진 실적"),
    "plan": ("향후계획", "향후 추진계획", "기대효과 및 향후계획"),
}
_CONNECTIVES = ("이를 위해", "특히", "아울러", "또한", "한편", "이에 따라")
_BULLETS = ("○", "◯", "❍", "-", "▸", "∙")
_SENTENCES = (
    "{target} 대상 {program} 추진으로 {action}",
    "{program} 운영으로 {target} 참여 확대",
    "{action} 및 {shared}",
    "{target} 맞춤형 {action}",
    "{shared} 통한 {program} 내실화",
    "{program} 연계 {action}",
    "{target} 의견 수렴 후 {action}",
)


@dataclass
class SynthCase:
    """One generated case with its ground truth (for clustering and search benchmarks)."""

    index: int
    province: str
    region: str
    municipality: str
    group: str
    field: str
    theme: str
    title: str
    text: str


def _stem(municipality: str) -> str:
    return municipality[:-1] if len(municipality) > 2 else municipality


def _quantity(rng: random.Random, template: str) -> str:
    return template.format(
        n=rng.choice([rng.randint(2, 30), rng.randint(30, 400), rng.randint(400, 9000)]),
        n2=rng.randint(5, 120),
        money=f"{rng.randint(5, 900) * 1000:,}",
    )


def _sentence(rng: random.Random, theme: Theme) -> str:
    template = rng.choice(_SENTENCES)
    text = template.format(
        target=rng.choice(theme.targets),
        program=rng.choice(theme.programs),
        action=rng.choice(theme.actions),
        shared=rng.choice(_SHARED_ACTIONS),
    )
    if rng.random() < 0.25:
        text = f"{rng.choice(_CONNECTIVES)} {text}"
    return text


def _field_line(field_name: str) -> list[str]:
    marks = ["( ○ )" if f == field_name else "( )" for f in FIELDS]
    parts = [f"{i + 1}분야-{f} 분야{marks[i]}" for i, f in enumerate(FIELDS)]
    return ["분    야 " + ", ".join(parts[:3]) + ",", "", ", ".join(parts[3:])]


def _table(rng: random.Random, theme: Theme) -> list[str]:
    """A flattened '(단위 : 백만원)' table, as PDF extraction leaves them."""
    years = [2014, 2015, 2016]
    rows = [f"구분 {' '.join(str(y) for y in years)} 계"]
    for label in ("예산", rng.choice(theme.programs).split()[-1]):
        values = [rng.randint(20, 900) for _ in years]
        rows.append(f"{label} {' '.join(f'{v:,}' for v in values)} {sum(values):,}")
    return ["", f"{' ' * rng.randint(20, 60)}(단위 : 백만원)", *rows]


def _make_case(rng: random.Random, index: int) -> SynthCase:
    province = rng.choice(sorted(REGIONS))
    region, municipalities = REGIONS[province]
    municipality, group = rng.choice(municipalities)
    field_name = rng.choice(FIELDS)
    theme = rng.choice(THEMES[field_name])
    # A second theme of any field lends a few sentences, as real cases wander across topics.
    other = rng.choice(THEMES[rng.choice(FIELDS)])
    title = rng.choice(theme.titles).format(m=_stem(municipality))

    lines = [" 매니페스토 우수사례 소개서", f"지자체명 {province} {municipality}", ""]
    lines += [f"사 례 명 {title}", ""]
    lines += _field_line(field_name) + [""]
    pledges = rng.sample(theme.pledges, k=min(len(theme.pledges), rng.randint(1, 3)))
    lines.append(f"관련공약 - {pledges[0]}")
    lines += [line for p in pledges[1:] for line in ("", f"- {p}")]
    lines += ["", "사례요약", ""]
    # Summary: one □ with a few ○ bullets and quantities.
    lines.append(f"□ {rng.choice(theme.programs)} 추진으로 {rng.choice(theme.targets)} 지원")
    for _ in range(rng.randint(2, 4)):
        lines.append(f" ○ {_sentence(rng, theme)}")
    lines.append(f" ○ {_quantity(rng, rng.choice(theme.outcomes))}")
    lines.append("")
    # Body: background, strategy, process (several programmes), outcome (with a table), plan.
    lines.append(f" {title}")
    for kind in ("background", "strategy", "process", "outcome", "plan"):
        lines += ["", f"□ {rng.choice(_HEADINGS[kind])}"]
        if kind == "background":
            for problem in rng.sample(theme.problems, k=len(theme.problems)):
                lines.append(f" - {problem}에 따라 {rng.choice(theme.pledges)} 필요")
            lines.append(f" - {_sentence(rng, other)}")
        elif kind == "strategy":
            for _ in range(rng.randint(2, 3)):
                lines.append(f" ○ {_sentence(rng, theme)}")
        elif kind == "process":
            for number, program in enumerate(rng.sample(theme.programs, k=rng.randint(2, 3)), start=1):
                lines += ["", f"{number}. {program}"]
                for _ in range(rng.randint(2, 5)):
                    bullet = rng.choice(_BULLETS)
                    if rng.random() < 0.4:
                        lines.append(
                            f" {bullet} {rng.choice(theme.actions)} : {_quantity(rng, rng.choice(theme.outcomes))}"
                        )
                    else:
                        lines.append(f" {bullet} {_sentence(rng, theme if rng.random() < 0.85 else other)}")
                if rng.random() < 0.3:
                    lines.append(f" - {rng.randint(10, 60)} -")  # a page footer left by PDF extraction
        elif kind == "outcome":
            for template in rng.sample(theme.outcomes, k=len(theme.outcomes)):
                lines.append(f" ○ {_quantity(rng, template)}")
            if rng.random() < 0.6:
                lines += _table(rng, theme)
        else:
            for _ in range(rng.randint(1, 3)):
                lines.append(f" ○ {_sentence(rng, theme)}")
    text = "\n".join(lines) + "\n"
    return SynthCase(index, province, region, municipality, group, field_name, theme.key, title, text)


def synth_cases(n_cases: int, seed: int = 0) -> list[SynthCase]:
    """`n_cases` generated cases with their ground truth; deterministic by `seed`."""
    rng = random.Random(seed)
    return [_make_case(rng, i) for i in range(n_cases)]


def generate_case_book(n_cases: int, seed: int = 0) -> str:
    """One case book (the cases back to back, as in the 2017 book) in the 소개서 form."""
    return "".join(case.text for case in synth_cases(n_cases, seed))


def write_archive(directory: str | Path, n_cases: int, seed: int = 0, per_file: int = 100) -> list[Path]:
    """Write `n_cases` cases as books of `per_file` cases (book_00000.txt …) plus `labels.jsonl`.

    `labels.jsonl` holds one ground-truth record per case (file, index within the file, field, theme,
    municipality …) so benchmarks can score clustering and retrieval against it.
    """
    if per_file < 1:
        raise ValueError("per_file must be at least 1")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    cases = synth_cases(n_cases, seed)
    paths: list[Path] = []
    labels: list[str] = []
    for book, start in enumerate(range(0, len(cases), per_file)):
        chunk = cases[start : start + per_file]
        path = out / f"book_{book:05d}.txt"
        path.write_text("".join(c.text for c in chunk), encoding="utf-8")
        paths.append(path)
        for position, case in enumerate(chunk):
            record = asdict(case)
            del record["text"]
            record.update(file=path.name, position=position, seed=seed)
            labels.append(json.dumps(record, ensure_ascii=False))
    (out / "labels.jsonl").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return paths


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(
        generate_case_book(
            int(sys.argv[1]) if len(sys.argv) > 1 else 2, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 0
        )
    )
