"""Text out of a resume file: plain text in any common Chinese or Western encoding, PDF, DOCX.

Method: the kind is decided by the leading bytes (``%PDF``, a ZIP holding ``word/document.xml``), not by the
file name. Text files are decoded as UTF-8 (with or without BOM), then UTF-16 by BOM, then GB18030 (a superset
of GBK/GB2312) when it decodes cleanly, then charset-normalizer's best guess. PDFs go through pypdf, DOCX
through python-docx (paragraphs and table cells in order). Every failure is a ``ResumeInputError`` naming
the reason (empty, too_large, binary, no_text_layer, corrupt, unsupported) — never the file's content.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ai_identity.errors import AIIdentityError

MAX_BYTES = 5 * 1024 * 1024
Reason = Literal["empty", "too_large", "binary", "no_text_layer", "corrupt", "unsupported", "unreadable"]


class ResumeInputError(AIIdentityError):
    """One resume file could not be turned into text; ``reason`` is a short machine-readable code."""

    http_status = 422
    exit_code = 1

    def __init__(self, reason: Reason, detail: str, source: str = "input") -> None:
        self.reason, self.source = reason, source
        super().__init__(f"{source}: {reason}: {detail}")


@dataclass(frozen=True, slots=True)
class ExtractedText:
    text: str
    encoding: str | None  # the detected text encoding; None for PDF and DOCX
    kind: Literal["txt", "pdf", "docx"]


def extract_text(source: str | Path | bytes, *, max_bytes: int = MAX_BYTES) -> ExtractedText:
    """Read a resume (path or raw bytes) and return its text; raises ``ResumeInputError`` on bad input."""
    label = "input" if isinstance(source, bytes) else Path(source).name
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise ResumeInputError("too_large", f"{size} bytes, limit {max_bytes}", label)
            data = path.read_bytes()
        except OSError as exc:
            raise ResumeInputError("unreadable", type(exc).__name__, label) from exc
    if len(data) > max_bytes:
        raise ResumeInputError("too_large", f"{len(data)} bytes, limit {max_bytes}", label)
    if not data.strip():
        raise ResumeInputError("empty", "no content", label)
    if data.startswith(b"%PDF"):
        result = ExtractedText(_pdf_text(data, label), None, "pdf")
    elif data.startswith(b"PK\x03\x04"):
        result = ExtractedText(_docx_text(data, label), None, "docx")
    else:
        text, encoding = decode_text(data, label)
        result = ExtractedText(text, encoding, "txt")
    if not result.text.strip():
        reason: Reason = "no_text_layer" if result.kind == "pdf" else "empty"
        raise ResumeInputError(reason, "no text found", label)
    return result


def decode_text(data: bytes, label: str = "input") -> tuple[str, str]:
    """Decode text bytes, detecting UTF-8/UTF-16/GB18030 and falling back to charset-normalizer."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if _looks_binary(data):
        raise ResumeInputError("binary", "control bytes: not a text, PDF or DOCX file", label)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ResumeInputError("binary", "no text encoding fits", label)
    return str(best), best.encoding


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.05


def _pdf_text(data: bytes, label: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a core dependency
        raise ResumeInputError("unsupported", "pypdf is not installed", label) from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ResumeInputError("corrupt", f"PDF could not be read ({type(exc).__name__})", label) from exc
    return "\n".join(pages)


def _docx_text(data: bytes, label: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise ResumeInputError("unsupported", "ZIP archive that is not a DOCX document", label)
    except zipfile.BadZipFile as exc:
        raise ResumeInputError("corrupt", "broken ZIP container", label) from exc
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a core dependency
        raise ResumeInputError("unsupported", "python-docx is not installed", label) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise ResumeInputError("corrupt", f"DOCX could not be read ({type(exc).__name__})", label) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append("\t".join(cells))
    return "\n".join(lines)
