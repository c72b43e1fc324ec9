"""extract_text on files made in the test: UTF-8, GBK, PDF, DOCX, and bad inputs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ai_identity.features.resume import ResumeInputError, extract_text, parse_resume

ZH = "工作经历\n2019.07-至今 星河软件有限公司 后端工程师\n教育背景\n2015.09-2019.06 东湖大学 本科\n"


def _pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF with a Helvetica text layer, built by hand so the test needs no PDF writer."""
    ops = ["BT /F1 12 Tf 14 TL 72 720 Td"]
    for line in lines:
        ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_when_text_is_utf8_then_it_is_read_as_utf8(tmp_path: Path):
    path = tmp_path / "cv.txt"
    path.write_text(ZH, encoding="utf-8")
    got = extract_text(path)
    assert (got.text, got.encoding, got.kind) == (ZH, "utf-8", "txt")


def test_when_text_is_gbk_then_it_is_decoded_and_parses():
    got = extract_text(ZH.encode("gbk"))
    assert got.text == ZH and got.encoding == "gb18030"
    parsed = parse_resume(got.text)
    assert parsed.work_experience[0].company.value == "星河软件有限公司"


def test_when_text_has_a_bom_then_the_bom_is_dropped():
    assert extract_text(b"\xef\xbb\xbf" + ZH.encode()).text == ZH


def test_when_file_is_a_pdf_then_its_text_layer_is_read():
    pdf = _pdf_with_text(
        ["Maya Fernwood", "WORK EXPERIENCE", "Data Engineer", "Harbor Logistics Ltd", "07/2016-06/2019"]
    )
    got = extract_text(pdf)
    assert got.kind == "pdf" and "Harbor Logistics Ltd" in got.text
    assert parse_resume(got.text).work_experience[0].start == "2016-07"


def test_when_file_is_a_docx_then_paragraphs_and_tables_are_read(tmp_path: Path):
    docx = pytest.importorskip("docx", reason="python-docx is a core dependency; skipped only if absent")
    document = docx.Document()
    for line in ZH.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "专业技能"
    table.cell(0, 1).text = "Python"
    path = tmp_path / "cv.docx"
    document.save(str(path))
    got = extract_text(path)
    assert got.kind == "docx" and "星河软件有限公司" in got.text and "专业技能\tPython" in got.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"%PDF-1.4 garbage that is not a pdf", "corrupt"),
        (b"PK\x03\x04 not really a zip", "corrupt"),
    ],
)
def test_when_input_is_bad_then_a_reasoned_error_is_raised(data: bytes, reason: str):
    with pytest.raises(ResumeInputError) as info:
        extract_text(data)
    assert info.value.reason == reason


def test_when_a_pdf_has_no_text_layer_then_the_reason_says_so():
    pypdf = pytest.importorskip("pypdf", reason="pypdf is a core dependency; skipped only if absent")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(ResumeInputError) as info:
        extract_text(buf.getvalue())
    assert info.value.reason == "no_text_layer"


def test_when_a_file_is_over_the_limit_then_it_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ResumeInputError) as info:
        extract_text(path)
    assert info.value.reason == "too_large"


def test_when_the_error_is_raised_then_it_carries_no_content():
    secret = "13900001111"
    with pytest.raises(ResumeInputError) as info:
        extract_text(("\x00" + secret).encode())
    assert secret not in str(info.value)


def test_when_a_file_is_missing_then_the_error_is_unreadable(tmp_path: Path):
    with pytest.raises(ResumeInputError) as info:
        extract_text(tmp_path / "absent.pdf")
    assert info.value.reason == "unreadable"
