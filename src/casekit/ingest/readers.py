"""Turn a file's bytes into text lines, whatever the converter left: TXT/MD in UTF-8, UTF-8 with BOM,
UTF-16 or CP949/EUC-KR; PDF with a text layer; HWPX (the zip+XML form of 한글 documents).

Each reader returns the text as a list of lines; those lines are what evidence line numbers count.
For PDF and HWPX there is no "original line" on disk, so the extracted text is the reference and
the source map points into it (pages are joined in order, one HWPX paragraph per line).

Submissions are untrusted, so every reader has limits, each refused with the file's name: a file over
`DEFAULT_MAX_BYTES` (50 MB, several times the largest real report; configurable) is not read; an HWPX
whose XML would unpack past `HWPX_MAX_XML_BYTES` or at a ratio over `HWPX_MAX_RATIO` is a zip bomb; XML
with a DOCTYPE is refused, so no entity is ever declared, let alone expanded. A text with a few stray
NUL bytes (converter damage) is text: the NULs are dropped (and counted in a warning by the caller).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from charset_normalizer import from_bytes

from casekit.errors import IngestError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}  # read as pages by casekit.ingest.html
TEXT_SUFFIXES = {".txt", ".md", ".text", ".csv", ".tsv"} | HTML_SUFFIXES
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".hwpx"}

_HWP5_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: the binary .hwp (and .doc) format

#: The largest file ingest reads (bytes): the 2017 book is 114 KB for nine reports, a PDF with photos a
#: few MB. `casekit ingest --max-size MB` changes it.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: The most XML an HWPX's sections may unpack to, and the highest compression ratio of any of them.
HWPX_MAX_XML_BYTES = 64 * 1024 * 1024
HWPX_MAX_RATIO = 200
#: A text with at most this share of NUL bytes has stray ones (dropped); more, and it is binary data.
NUL_SHARE_TEXT = 0.001

#: Markup that would declare entities; its encoded forms for UTF-16 XML too.
_DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def read_bytes(path: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a source file, refusing (with the reason) what is missing, unreadable or too large."""
    if not path.exists():
        raise IngestError(path, "no such file")
    if path.is_dir():
        raise IngestError(path, "is a directory")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise IngestError(
                path, f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit (--max-size)"
            )
        with path.open("rb") as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(path, f"cannot read ({exc.strerror})") from exc
    if max_bytes is not None and len(data) > max_bytes:  # grew while being read
        raise IngestError(path, f"file is over the {_megabytes(max_bytes)} limit (--max-size)")
    return data


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes of a text file; returns (text, encoding name). Refuses binary data clearly."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > max(len(data) * NUL_SHARE_TEXT, 1):
            raise IngestError(path, "binary data, not text (NUL bytes); expected .txt/.md, .pdf or .hwpx")
        data = data.replace(b"\x00", b"")  # a few stray NULs: converter damage in a text file
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # cp949 is a superset of EUC-KR: the encoding of Korean Windows and most HWP text exports.
        text = data.decode("cp949")
        if _looks_like_text(text):
            return text, "cp949"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or not _looks_like_text(str(best)):
        raise IngestError(path, "not decodable as text (tried UTF-8, CP949 and detection)")
    return str(best), str(best.encoding)


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return True
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f")
    return controls / max(len(text), 1) < 0.01


def read_pdf(data: bytes, path: Path) -> str:
    """The PDF's text layer, pages in order; a scanned PDF (no text) is refused with the reason."""
    # pypdf takes ~60 ms to import, and every casekit command reaches this module: only a PDF pays for it.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(path, f"broken PDF ({exc.__class__.__name__}: {exc})") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise IngestError(path, f"broken PDF ({exc.__class__.__name__})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(path, "PDF has no text layer (a scan?); run OCR first")
    return text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_sections(archive: zipfile.ZipFile, sections: list[str], path: Path) -> None:
    """Refuse a zip bomb before unpacking anything: sizes and ratios as the archive declares them.

    zipfile never yields more bytes than an entry declares (and checks the CRC), so the declared sizes
    bound what reading can cost.
    """
    total = 0
    for name in sections:
        info = archive.getinfo(name)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > HWPX_MAX_RATIO:
            raise IngestError(
                path,
                f"HWPX entry {name} unpacks {ratio:,.0f}:1 to {_megabytes(info.file_size)} "
                f"(limit {HWPX_MAX_RATIO}:1): refused as a zip bomb",
            )
    if total > HWPX_MAX_XML_BYTES:
        raise IngestError(
            path,
            f"HWPX sections unpack to {_megabytes(total)}, over the {_megabytes(HWPX_MAX_XML_BYTES)} "
            "limit: refused",
        )


def parse_xml(data: bytes, path: Path, name: str) -> ElementTree.Element:
    """Parse XML that may not declare anything: a DOCTYPE (the only place entities can be declared) is
    refused, so no entity beyond the five built-in ones exists to expand."""
    if any(marker in data for marker in _DOCTYPE):
        raise IngestError(path, f"HWPX XML in {name} has a DOCTYPE (entity declarations are refused)")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise IngestError(path, f"broken HWPX XML in {name} ({exc})") from exc


def read_hwpx(data: bytes, path: Path) -> str:
    """Text of an HWPX document: each paragraph (`<hp:p>`) of each section, in order, one per line."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(path, "broken HWPX (not a zip archive)") from exc
    sections = sorted(
        (n for n in archive.namelist() if re.match(r"Contents/section\d+\.xml$", n)),
        key=lambda n: int(re.findall(r"\d+", n)[-1]),
    )
    if not sections:
        raise IngestError(path, "HWPX without Contents/section*.xml")
    _check_sections(archive, sections, path)
    lines: list[str] = []
    for name in sections:
        try:
            xml = archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise IngestError(path, f"broken HWPX entry {name} ({exc})") from exc
        root = parse_xml(xml, path, name)
        del xml
        for element in root.iter():
            if _local(element.tag) != "p":
                continue
            # Only the paragraph's own runs: nested paragraphs (table cells) are visited on their own.
            parts: list[str] = []
            for run in element:
                if _local(run.tag) != "run":
                    continue
                for child in run.iter():
                    if _local(child.tag) == "t":
                        parts.append("".join(child.itertext()))
                    elif _local(child.tag) == "tab":
                        parts.append("\t")
            lines.append("".join(parts))
    return "\n".join(lines)


def read_lines(
    path: Path, data: bytes | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> tuple[list[str], str, bytes]:
    """Lines of a source file as text, the encoding/format it was read as, and its bytes.

    `data`: the file's bytes when the caller has read them already (`read_bytes`).
    """
    if data is None:
        data = read_bytes(path, max_bytes)
    if not data.strip():
        raise IngestError(path, "empty file")
    suffix = path.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return read_pdf(data, path).splitlines(), "pdf", data
    if suffix == ".hwpx":
        return read_hwpx(data, path).splitlines(), "hwpx", data
    if suffix == ".hwp" or data.startswith(_HWP5_MAGIC):
        raise IngestError(path, "binary HWP 5 document: save it as .hwpx or PDF in 한글 first")
    if data.startswith(b"PK\x03\x04"):
        raise IngestError(path, f"zip archive with unknown format {suffix or '(no suffix)'}; expected .hwpx")
    if suffix not in TEXT_SUFFIXES and suffix:
        # Unknown suffix: accept it only if it really is text.
        text, encoding = decode_text(data, path)
        return text.splitlines(), encoding, data
    text, encoding = decode_text(data, path)
    return text.splitlines(), encoding, data
