"""A report as the desk stores it: its text from a paste, a .txt, a saved web page or a PDF, and what the text says of
itself (title, publisher, date), each marked when it was inferred rather than printed as such.

Offsets of every proposal index this text, so it is stored exactly as returned here.
"""

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from . import tables

DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .,'’-]{2,60}?)(?:,\s*[A-Z][\w.]+)?\s*(?:\((?P<publisher>[^)]{2,60})\))?\s*[—–-]+\s*",
    re.MULTILINE,
)
DATE_PHRASE = re.compile(
    r"\b(?:" + "|".join(re.escape(month) for month in tables.MONTHS) + r")\s+\d{1,2},\s+\d{4}\b", re.IGNORECASE
)


MAX_CHARACTERS = 100_000  # longer than any news report; past it the rules take seconds (bench/RESULTS.md)


class UnreadableDocument(ValueError):
    """The file cannot be read as a report; the message says why."""


@dataclass
class Document:
    text: str
    title: str = ""
    title_is_inferred: bool = False
    publisher: str = ""
    published_on: datetime.date | None = None
    published_on_is_inferred: bool = False

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "title_is_inferred": self.title_is_inferred,
            "publisher": self.publisher,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "published_on_is_inferred": self.published_on_is_inferred,
            "length": len(self.text),
        }


def read_file(path: Path | str, content: bytes | None = None) -> Document:
    """The report in `path` (its bytes in `content`, for an upload): .txt, .html/.htm or .pdf."""
    path = Path(path)
    content = path.read_bytes() if content is None else content
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return _from_html(content, path.name)
    if suffix == ".pdf":
        return _from_pdf(content, path.name)
    try:
        return from_text(content.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise UnreadableDocument(f"{path.name}: not UTF-8 text (byte {error.start}); save it as UTF-8.") from None


def from_text(text: str, *, title: str = "", published_on=None) -> Document:
    """A pasted report: line breaks made plain (\\r\\n is \\n), nothing else changed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        raise UnreadableDocument("The report is empty.")
    if "\x00" in text:
        raise UnreadableDocument(f"The report holds a NUL character (at character {text.index(chr(0)) + 1}).")
    if len(text) > MAX_CHARACTERS:
        raise UnreadableDocument(
            f"The report is {len(text):,} characters long; the assistant reads up to {MAX_CHARACTERS:,} (about "
            "15,000 words). Split it."
        )
    document = Document(text=text)
    first_line = text.split("\n", 1)[0].strip()
    if title:
        document.title = title
    elif len(first_line) <= 160 and not first_line.endswith((".", "”", '"')) and "\n" in text:
        document.title = first_line
    else:
        document.title, document.title_is_inferred = _first_words(text), True
    if match := DATELINE.search(text[:400]):
        document.publisher = (match.group("publisher") or "").strip()
    if published_on:
        document.published_on = published_on
    elif match := DATE_PHRASE.search(text[:600]):
        document.published_on = _parse_date(match.group())
    return document


def _first_words(text: str) -> str:
    words = text.split()[:12]
    return " ".join(words) + ("…" if len(text.split()) > 12 else "")


def _parse_date(words: str) -> datetime.date | None:
    import dateparser

    parsed = dateparser.parse(words, languages=["en"])
    return parsed.date() if parsed else None


def _from_html(content: bytes, name: str) -> Document:
    import trafilatura

    html = content.decode("utf-8", errors="replace")
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        raise UnreadableDocument(f"{name}: no article text found in the page.")
    metadata = trafilatura.extract_metadata(html)
    document = from_text(text, title=(metadata.title or "") if metadata else "")
    if metadata and metadata.sitename:
        document.publisher = metadata.sitename
    if metadata and metadata.date and not document.published_on:
        document.published_on = datetime.date.fromisoformat(metadata.date[:10])
        document.published_on_is_inferred = True  # from the page's metadata, not its words
    return document


def _from_pdf(content: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError) as error:
        raise UnreadableDocument(f"{name}: not a readable PDF ({error}).") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise UnreadableDocument(f"{name}: the PDF holds no text (a scan needs OCR first).")
    title = (reader.metadata.title or "") if reader.metadata else ""
    return from_text(text, title=title)
