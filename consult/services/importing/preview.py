"""The file by its name, the Latvian and the English draft side by side, and the signed, compressed token the parsed
draft travels in between preview and confirmation."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import ngettext
from itsdangerous import BadData, URLSafeTimedSerializer

from ..refusals import Refused
from .blocks import MAX_FILE_BYTES, ImportedSection
from .docx_file import parse_docx
from .markdown_file import parse_markdown

MAX_TOKEN_CHARS = 450_000     # Flask keeps a form field under 500,000 bytes
PREVIEW_MAX_AGE = 4 * 60 * 60


def parse_file(data: bytes, filename: str) -> list[ImportedSection]:
    """Markdown (.md, .markdown, .txt) or DOCX, by the file's name; the content must agree."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if len(data) > MAX_FILE_BYTES:
        raise Refused("importing.too_large", limit=MAX_FILE_BYTES)
    if extension == "docx":
        return parse_docx(data)
    if extension in ("md", "markdown", "txt"):
        return parse_markdown(data)
    raise Refused("importing.format")


def alignment_problems(lv: list[ImportedSection], en: list[ImportedSection]) -> list[str]:
    """Where the two languages do not line up; an empty list when they do."""
    problems = []
    if len(lv) != len(en):
        problems.append(ngettext(
            "The Latvian text has %(num)d section and the English text has %(en)d.",
            "The Latvian text has %(num)d sections and the English text has %(en)d.",
            len(lv), en=len(en)))
    for lv_section, en_section in zip(lv, en):
        if len(lv_section.paragraphs) != len(en_section.paragraphs):
            problems.append(ngettext(
                "Section %(section)d has %(num)d paragraph in Latvian and %(en)d in English.",
                "Section %(section)d has %(num)d paragraphs in Latvian and %(en)d in English.",
                len(lv_section.paragraphs), section=lv_section.number, en=len(en_section.paragraphs)))
    return problems


@dataclass
class BilingualSection:
    number: int
    title_lv: str
    title_en: str
    paragraphs: list[tuple[str, str]]


def combine(lv: list[ImportedSection], en: list[ImportedSection] | None) -> list[BilingualSection]:
    """Latvian and (aligned) English into one list; English is optional."""
    result = []
    for index, section in enumerate(lv):
        other = en[index] if en else None
        english = other.paragraphs if other else [""] * len(section.paragraphs)
        result.append(BilingualSection(number=section.number, title_lv=section.title,
                                       title_en=other.title if other else "",
                                       paragraphs=list(zip(section.paragraphs, english))))
    return result


_SALT = "consult.import-preview"


def encode_preview(secret: str, payload: dict) -> str:
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps(payload)


def decode_preview(secret: str, token: str, max_age: int = PREVIEW_MAX_AGE) -> dict | None:
    """The payload, or None when the token is forged, damaged or older than `max_age` seconds."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        payload = URLSafeTimedSerializer(secret, salt=_SALT).loads(token, max_age=max_age)
    except (BadData, ValueError, TypeError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def sections_to_payload(sections: list[BilingualSection]) -> list:
    return [[s.number, s.title_lv, s.title_en, [list(p) for p in s.paragraphs]] for s in sections]


def sections_from_payload(raw) -> list[BilingualSection]:
    return [BilingualSection(number=int(n), title_lv=str(tl), title_en=str(te),
                             paragraphs=[(str(a), str(b)) for a, b in paragraphs])
            for n, tl, te, paragraphs in raw]
