"""Loading articles from files, folders and records.

Formats: ``.txt``/``.md``/``.markdown`` (plain text, page scrapes cleaned),
``.html``/``.htm`` (main text, title and date by trafilatura), ``.jsonl`` and
``.json`` (article records with fields ``id, title, date, source, author, url,
text``; a JSON file may hold one record or a list). Folders are walked
recursively without following symbolic links (so a link loop cannot trap us).

Article ids: a record's ``id``; a file's name without its extension.

Bad input never stops a batch: each problem becomes an :class:`IngestError`
naming the file (and line) in ``LoadResult.problems`` and the good articles are
still returned.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .clean import clean_text, split_headline
from .errors import IngestError, MissingDependency
from .models import Article

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".jsonl", ".json", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES

#: Largest file read, in bytes (documented limit; larger files are refused, not read).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Largest article text kept, in characters; longer texts are refused with a message.
MAX_ARTICLE_CHARS = 2_000_000
MIN_ARTICLE_CHARS = 20

_BINARY_MAGIC = (b"\x89PNG", b"PK\x03\x04", b"%PDF", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BZh", b"\x7fELF")


@dataclass
class LoadResult:
    """Articles read from sources plus the problems met (one per bad file or record)."""

    articles: list[Article] = field(default_factory=list)
    problems: list[IngestError] = field(default_factory=list)
    duplicates: int = 0


def text_hash(text: str) -> str:
    """SHA-1 of the whitespace-normalised text, used to find duplicate articles."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def decode_bytes(data: bytes, path: str) -> str:
    """Decode file bytes to text: BOM, then UTF-8, then the likely encoding.

    Raises :class:`IngestError` for binary files (known magic numbers, NUL-heavy
    data) and for bytes no encoding explains.
    """
    if data.startswith(_BINARY_MAGIC):
        raise IngestError(path, "binary file (not text); expected .txt, .md, .html or .jsonl")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without BOM has a NUL every other byte for Latin text
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if sum(ch.isprintable() or ch.isspace() for ch in text[:2000]) > 0.95 * min(len(text), 2000):
                return text
        raise IngestError(path, "binary file (not text); expected .txt, .md, .html or .jsonl")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(path, "not text in any known encoding (tried UTF-8, UTF-16 and a detected one)")
    return str(best)


def _read_file(path: Path) -> str:
    size = path.stat().st_size
    if size == 0:
        raise IngestError(str(path), "empty file")
    if size > MAX_FILE_BYTES:
        raise IngestError(
            str(path), f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit; split it"
        )
    return decode_bytes(path.read_bytes(), str(path))


def _check_text(text: str, where: str, line: int | None = None) -> None:
    size = len(text.strip())
    if size == 0:
        raise IngestError(where, "no article text (empty or whitespace only after cleaning)", line)
    if size < MIN_ARTICLE_CHARS:
        raise IngestError(where, f"article text is {size} characters, under the {MIN_ARTICLE_CHARS}-character "
                                 "minimum", line)
    if len(text) > MAX_ARTICLE_CHARS:
        raise IngestError(where, f"article text is {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit", line)


def article_from_text(raw: str, article_id: str, origin: str = "", *, markdown: bool = False) -> Article:
    """Build an article from a plain-text page: clean it and split off a headline.

    Raises :class:`IngestError` when nothing is left after cleaning.
    """
    if len(raw) > 2 * MAX_ARTICLE_CHARS:  # refuse before cleaning a huge page
        raise IngestError(origin or article_id, f"article text is {len(raw):,} characters, over the "
                          f"{MAX_ARTICLE_CHARS:,} limit")
    title = ""
    if markdown:
        # a leading "# Heading" is the title, not page furniture
        m = re.match(r"\s*#+\s+(.+?)\s*(?:\n|$)", raw)
        if m:
            title, raw = m.group(1).strip(), raw[m.end() :]
    text = clean_text(raw, page=True)
    if not title:
        title, text = split_headline(text)
    body = text
    _check_text(body, origin or article_id)
    # metadata a plain page still carries: an ISO date in the file name, a wire credit ending the text
    date = m.group(0) if (m := re.search(r"(?:19|20)\d\d-[01]\d-[0-3]\d", article_id)) else ""
    source = m.group(1) if (m := re.search(r"\((?P<s>[A-Z][\w&.' -]{1,40})\)\s*$", body)) else ""
    return Article(id=article_id, text=body, title=title, date=date, source=source, origin=origin)


def _import_trafilatura(where: str):
    """trafilatura, or :class:`MissingDependency` naming the package to install.

    trafilatura imports jusText, which imports ``lxml.html.clean``: since lxml 5.2 that module is the
    separate project ``lxml_html_clean`` (its ImportError says so), the usual cause on a fresh install.
    """
    try:
        import trafilatura
    except ImportError as e:
        package = "lxml_html_clean" if "lxml_html_clean" in str(e) or "lxml.html.clean" in str(e) else (
            (e.name or "trafilatura").split(".")[0])
        raise MissingDependency(where, "reading HTML pages", package, e) from e
    return trafilatura


def _without_headline(body: str, title: str) -> str:
    """``body`` without a first line that repeats the headline (the page's <h1> kept in the main text)."""
    first, sep, rest = body.lstrip().partition("\n")
    norm = (lambda t: " ".join(t.split()).casefold())  # noqa: E731
    if title and sep and norm(first) == norm(title):
        return rest.lstrip("\n")
    return body


def _stated_date(date: str, raw: str) -> str:
    """The publication date, never with a day the page does not state: a date on the first of a
    month that the page writes nowhere (a URL such as /2022/09/38417 gives only year and month,
    and date extractors fill in day 1) is cut to ``YYYY-MM``."""
    import calendar

    m = re.fullmatch(r"(\d{4})-(\d{2})-01", date or "")
    if not m:
        return date
    year, mon = m.group(1), m.group(2)
    month = calendar.month_name[int(mon)]
    stated = (rf"{year}-{mon}-01|{year}/{mon}/01|\b0?1(?:st)?\s+{month}\b|\b{month}\s+0?1(?:st)?\b")
    return date if re.search(stated, raw, re.I) else f"{year}-{mon}"


def article_from_html(raw: str, article_id: str, origin: str = "") -> Article:
    """Extract main text, title and date from an HTML page with trafilatura.

    Raises :class:`IngestError` when the page has no main text (navigation only).
    """
    trafilatura = _import_trafilatura(origin or article_id)
    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, favor_precision=True)
    body = ""
    title = date = author = url = source = ""
    if doc is not None:
        get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
        body = get("text") or ""
        title = get("title") or ""
        date = get("date") or ""
        author = get("author") or ""
        url = get("url") or ""
        source = get("sitename") or ""
    body = _without_headline(clean_text(body, page=False), title)
    date = _stated_date(date, raw)
    if len(body.strip()) < MIN_ARTICLE_CHARS:
        raise IngestError(origin or article_id, "HTML page has no main article text (navigation or scripts only)")
    _check_text(body, origin or article_id)
    return Article(
        id=article_id, text=body, title=title, date=date, source=source, author=author, url=url, origin=origin
    )


def article_from_record(record: object, origin: str, line: int | None = None) -> Article:
    """Build an article from a JSON record with ``id`` and ``text`` (other fields optional).

    Raises :class:`IngestError` naming ``origin`` and ``line`` when the record is
    not an object, lacks ``text``/``id``, or a field has the wrong type.
    """
    if not isinstance(record, dict):
        raise IngestError(origin, f"record is a {type(record).__name__}, expected a JSON object", line)
    if "text" not in record:
        raise IngestError(origin, "record has no 'text' field", line)
    text = record["text"]
    if not isinstance(text, str):
        raise IngestError(origin, f"'text' is a {type(text).__name__}, expected a string", line)
    rid = record.get("id")
    if rid is None or (isinstance(rid, str) and not rid.strip()):
        raise IngestError(origin, "record has no 'id' field", line)
    if not isinstance(rid, (str, int)):
        raise IngestError(origin, f"'id' is a {type(rid).__name__}, expected a string", line)
    fields = {}
    for key in ("title", "date", "source", "author", "url"):
        value = record.get(key) or ""
        fields[key] = value if isinstance(value, str) else str(value)
    body = clean_text(text, page=False)
    _check_text(body, origin, line)
    where = f"{origin}:{line}" if line is not None else origin
    return Article(id=str(rid), text=body, origin=where, **fields)


def _records(path: Path, raw: str) -> Iterator[tuple[object, int | None] | IngestError]:
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            yield IngestError(str(path), f"not valid JSON: {e.msg} at line {e.lineno}")
            return
        items = data if isinstance(data, list) else [data]
        for i, item in enumerate(items):
            yield item, (i + 1 if isinstance(data, list) else None)
        return
    for n, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line), n
        except json.JSONDecodeError as e:
            yield IngestError(str(path), f"line is not valid JSON ({e.msg})", n)


def load_file(path: Path) -> LoadResult:
    """Read one file into articles; problems are collected, never raised."""
    result = LoadResult()
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise IngestError(
                str(path), f"unsupported file type '{suffix or '(none)'}'; use one of {sorted(SUPPORTED_SUFFIXES)}"
            )
        raw = _read_file(path)
        if suffix in RECORD_SUFFIXES:
            for item in _records(path, raw):
                if isinstance(item, IngestError):
                    result.problems.append(item)
                    continue
                record, line = item
                try:
                    result.articles.append(article_from_record(record, str(path), line))
                except IngestError as e:
                    result.problems.append(e)
            if not result.articles and not result.problems:
                raise IngestError(str(path), "no records in file")
        elif suffix in HTML_SUFFIXES:
            result.articles.append(article_from_html(raw, path.stem, str(path)))
        else:
            result.articles.append(article_from_text(raw, path.stem, str(path), markdown=suffix != ".txt"))
    except IngestError as e:
        result.problems.append(e)
    except OSError as e:
        result.problems.append(IngestError(str(path), f"cannot read file: {e.strerror or e}"))
    return result


def iter_files(source: str | os.PathLike) -> Iterator[Path | IngestError]:
    """Files under a path (recursively, sorted, symlinks to folders not followed); errors for missing paths."""
    path = Path(source)
    if not path.exists():
        yield IngestError(str(path), "no such file or folder")
        return
    if path.is_file():
        yield path
        return
    for root, dirs, files in os.walk(path, followlinks=False):
        dirs.sort()
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(files):
            p = Path(root) / name
            if name.startswith(".") or not p.is_file():
                continue
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                yield p


def load_sources(sources: Iterable[str | os.PathLike | dict | Article]) -> LoadResult:
    """Load articles from paths (files, folders), records (dicts) or :class:`Article` objects.

    Duplicate texts are kept once (``duplicates`` counts the rest); two
    articles with the same id and different text keep the first and report the
    second as a problem.
    """
    result = LoadResult()
    for source in sources:
        if isinstance(source, Article):
            result.articles.append(source)
        elif isinstance(source, dict):
            try:
                result.articles.append(article_from_record(source, "<record>"))
            except IngestError as e:
                result.problems.append(e)
        else:
            for item in iter_files(source):
                if isinstance(item, IngestError):
                    result.problems.append(item)
                    continue
                sub = load_file(item)
                result.articles.extend(sub.articles)
                result.problems.extend(sub.problems)
    return dedupe(result)


def dedupe(result: LoadResult, seen_ids: dict[str, str] | None = None, seen_hashes: set[str] | None = None) -> LoadResult:
    """Drop articles whose text was already seen; report same-id-different-text conflicts.

    ``seen_ids`` maps id → text hash and ``seen_hashes`` holds hashes from an
    existing index, so an incremental build skips what is already indexed.
    """
    ids = dict(seen_ids or {})
    hashes = set(seen_hashes or ())
    out = LoadResult(problems=list(result.problems), duplicates=result.duplicates)
    for art in result.articles:
        h = text_hash(art.text)
        if art.id in ids:
            if ids[art.id] != h:
                out.problems.append(
                    IngestError(art.origin or art.id, f"duplicate id '{art.id}' with a different text; kept the first")
                )
            else:
                out.duplicates += 1
            continue
        if h in hashes:
            out.duplicates += 1
            continue
        ids[art.id] = h
        hashes.add(h)
        out.articles.append(art)
    return out
