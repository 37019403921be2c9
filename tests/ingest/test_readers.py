"""Reading real file shapes: encodings, PDF with a Hangul font, HWPX, and files that cannot be read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from casekit.errors import IngestError
from casekit.ingest import read_source
from casekit.parse import parse_file

FORM = """ 매니페스토 우수사례 소개서
지자체명 전라북도 진안군
사 례 명 마을이 살아나는 진안형 마을만들기
분    야 1분야-사회적경제 분야( ), 2분야-도시재생 분야( √ ), 3분야-청년문제해소 분야( )
관련공약 ① 마을만들기 지원센터 설립 ② 귀농귀촌 활성화
사례요약
□ 추진배경
○ 인구 감소로 마을 공동체 약화
□ 주요성과
○ 마을만들기 사업 참여 마을 120개소, 참여 주민 3,500명
"""


def _check_jinan(case):
    assert case.region == "전북"
    assert case.municipality == "진안군"
    assert case.group == "군"
    assert case.field == "도시재생"
    assert case.pledges == ["마을만들기 지원센터 설립", "귀농귀촌 활성화"]
    assert case.title == "마을이 살아나는 진안형 마을만들기"


def test_cp949_file(tmp_path):
    path = tmp_path / "jinan.txt"
    path.write_bytes(FORM.encode("cp949"))
    doc = read_source(path)
    assert doc.encoding == "cp949"
    _check_jinan(parse_file(path)[0])


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "jinan.md"
    path.write_bytes(b"\xef\xbb\xbf" + FORM.encode("utf-8"))
    doc = read_source(path)
    assert doc.encoding == "utf-8-sig"
    assert doc.lines[0].text == "매니페스토 우수사례 소개서"
    _check_jinan(parse_file(path)[0])


def _hwpx(path: Path, paragraphs: list[str]) -> None:
    ns = 'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section"'
    body = "".join(
        f"<hp:p><hp:run><hp:t>{p.replace('&', '&amp;').replace('<', '&lt;')}</hp:t></hp:run></hp:p>"
        for p in paragraphs
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr(
            "Contents/section0.xml", f'<?xml version="1.0" encoding="UTF-8"?><hs:sec {ns}>{body}</hs:sec>'
        )


def test_hwpx(tmp_path):
    path = tmp_path / "jinan.hwpx"
    _hwpx(path, FORM.splitlines())
    doc = read_source(path)
    assert doc.encoding == "hwpx"
    _check_jinan(parse_file(path)[0])


def test_pdf_with_hangul_text_layer(tmp_path):
    from koreanize_matplotlib import __file__ as kfile  # ships NanumGothic
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = next(Path(kfile).parent.rglob("NanumGothic*.ttf"))
    pdfmetrics.registerFont(TTFont("Nanum", str(font)))
    path = tmp_path / "jinan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Nanum", 10)
    y = 800
    for text in FORM.splitlines():
        pdf.drawString(40, y, text)
        y -= 16
    pdf.save()
    doc = read_source(path)
    assert doc.encoding == "pdf"
    _check_jinan(parse_file(path)[0])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
        ("old.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "HWP"),
        ("broken.hwpx", b"PK\x03\x04 not really a zip", "HWPX"),
    ],
)
def test_unreadable_files_give_one_clear_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        read_source(path)
    assert reason in info.value.reason
    assert name in str(info.value)


WORK_REPORT = """2024년 주요업무계획
금천구청 일자리경제과
1. 일반현황
 ○ 조직 : 3팀 15명
2. 주요사업
 □ 청년 일자리 지원
  ○ 청년 창업공간 운영 : 2개소, 입주기업 24개사
  ○ 사업비 : 350,000천원 (구비 100%)
3. 향후계획
 ○ 청년센터 확대 설치(2025년)
"""


def test_work_report_without_form_is_one_case(tmp_path):
    path = tmp_path / "geumcheon_2024.txt"
    path.write_text(WORK_REPORT, encoding="utf-8")
    (case,) = parse_file(path)
    assert case.form == "none"
    assert case.municipality == "금천구"
    assert case.region == "서울"
    assert case.group == "구"
    assert case.title == "2024년 주요업무계획"
    assert case.field is None
    assert case.pledges == []
    kinds = {s.heading: s.kind for s in case.sections}
    assert kinds["3. 향후계획"] == "plan"
    assert kinds["2. 주요사업"] == "process"
    assert case.line_start == 1 and case.line_end == 10
