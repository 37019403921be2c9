"""Topics of the 2017 seed book's passages, labelled by hand (by reading them), for theme quality.

All nine cases are entered in 사회적경제, so the 분야 says nothing; what they are about differs. Each
range of ORIGINAL source lines (1-based, inclusive) is given the topic its text is mostly about:

    SE     사회적기업·사회적경제기업 육성 (창업·판로·인증·재정지원·조례)
    JOB    일자리·고용·산업 (취업, 채용박람회, 산업단지, 기업유치, 생활임금)
    COMM   마을·공동체·협동조합 (마을기업, 공동체 조직, 영농조합, 공유)
    CULT   전통시장·문화·관광 (시장 재생, 축제, 체험·힐링 공간)
    WOMEN  경력단절 여성 일자리·직업교육

Keyed by line ranges rather than passage ids, so a change in how passages are cut does not break the
labels: a passage takes the topic of the range holding its middle line.
"""

from __future__ import annotations

SEED_TOPICS: list[tuple[int, int, str]] = [
    # 수원시: 사회적경제·공유경제
    (26, 214, "SE"),
    (216, 276, "COMM"),
    (277, 368, "SE"),
    (370, 435, "COMM"),
    (437, 476, "JOB"),
    # 남양주시: 기술기반형 사회적기업 (취약계층 고용)
    (477, 812, "SE"),
    # 이천시: 일자리센터, 산업입지, 채용박람회; 도자기축제·관광
    (813, 1063, "JOB"),
    (1065, 1116, "CULT"),
    # 여주시: 강천섬 영농조합법인(마을기업)과 맘스아일랜드 수변 체험·힐링 공간
    (1124, 1175, "COMM"),
    (1176, 1343, "CULT"),
    (1344, 1424, "COMM"),
    (1425, 1464, "CULT"),
    (1466, 1493, "COMM"),
    (1494, 1512, "CULT"),
    # 원주시: 원주미로예술시장
    (1513, 1745, "CULT"),
    # 청주시: 경력단절 여성
    (1746, 2126, "WOMEN"),
    # 정읍시: 공동체 시스템과 사회적경제기업
    (2127, 2195, "SE"),
    (2197, 2496, "COMM"),
    (2498, 2536, "SE"),
    # 경산시: 일자리 늘리기, 산업단지, 기업유치
    (2537, 2936, "JOB"),
    # 김해시: 사회적경제 인프라
    (2937, 3081, "SE"),
    (3083, 3110, "COMM"),
    (3116, 3207, "SE"),
]


def topic_of(line_start: int, line_end: int) -> str | None:
    """Hand-labelled topic of a passage spanning these original lines (by its middle line)."""
    middle = (line_start + line_end) // 2
    for start, end, topic in SEED_TOPICS:
        if start <= middle <= end:
            return topic
    return None
