"""Q&A gold files: reading and validating them (:func:`load_qa_gold`), the corpora they name, question types."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GoldError
from ..kinds import QuestionType
from ..metrics import locate_all

#: Question types, in report order.
QUESTION_TYPES = (
    QuestionType.SPEAKER_TOPIC, QuestionType.WHO_SAID, QuestionType.SPEAKER_ONLY, QuestionType.FOLLOW_UP,
    QuestionType.UNANSWERABLE,
)
#: File suffixes tried for an article given by id alone (no ``corpus`` field).
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json")

_QA_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "history": (list,),
    "question": (str,),
    "answerable": (bool,),
    "speaker": (str, type(None)),
    "gold_quotes": (list,),
    "articles": (list,),
}


@dataclass
class GoldItem:
    """One validated Q&A gold item; ``line`` is its 1-based line in the gold file.

    ``corpus`` is the corpus stem, or ``None`` when the item's articles are the
    corpus (seed); ``corpus_name`` is the group name used in results either way.
    """

    id: str
    question: str
    history: list[str]
    answerable: bool
    speaker: str | None
    gold_quotes: list[str]
    articles: list[str]
    corpus: str | None
    line: int
    corpus_name: str = ""
    type: str = ""


@dataclass
class CorpusSpec:
    """A corpus to index: ``name`` and the ``files`` that make it up."""

    name: str
    files: list[Path] = field(default_factory=list)


def read_jsonl(path: Path) -> list[tuple[int, dict]]:
    """``[(line_number, record), ...]`` of a JSONL file, blank lines skipped.

    Raises :class:`GoldError` ("<file>:<line>: ...") for a line that is not
    JSON or not a JSON object, and for an unreadable or empty file.
    """
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(f"{path}: cannot read gold file ({e})") from e
    out = []
    for n, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{path}:{n}: malformed JSON ({e.msg} at column {e.colno})") from e
        if not isinstance(rec, dict):
            raise GoldError(f"{path}:{n}: expected a JSON object, got a {type(rec).__name__}")
        out.append((n, rec))
    if not out:
        raise GoldError(f"{path}: gold file holds no records")
    return out


def gold_kind(records: Sequence[tuple[int, dict]]) -> str:
    """``attribution`` when the first record has ``quotes`` (attribution gold), else ``qa``."""
    return "attribution" if "quotes" in records[0][1] else "qa"


def default_corpus_dir(gold: Path) -> Path:
    """The ``corpus`` folder beside the gold file's folder, or beside a folder above it (``gold/../corpus``)."""
    gold = Path(gold).resolve()
    for parent in gold.parents[1:]:
        if (parent / "corpus").is_dir():
            return parent / "corpus"
    return gold.parent.parent / "corpus"


_TEXT_CACHE: dict[tuple[str, float, int], dict[str, str]] = {}


def corpus_texts(path: Path) -> dict[str, str]:
    """Raw article texts of a corpus file by id: every record of a ``.jsonl``, or the one article of another file.

    Raises :class:`GoldError` when the file cannot be read.
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as e:
        raise GoldError(f"{path}: corpus file not readable ({e})") from e
    key = (str(path.resolve()), st.st_mtime, st.st_size)
    if key in _TEXT_CACHE:
        return _TEXT_CACHE[key]
    texts: dict[str, str] = {}
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for line in raw.split("\n"):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "id" in rec and isinstance(rec.get("text"), str):
                texts[str(rec["id"])] = rec["text"]
    else:
        texts[path.stem] = raw
    _TEXT_CACHE[key] = texts
    return texts


def _article_file(corpus_dir: Path, article_id: str) -> Path | None:
    for suffix in ARTICLE_SUFFIXES:
        p = corpus_dir / f"{article_id}{suffix}"
        if p.is_file():
            return p
    return None


_WHO = re.compile(r"^\s*(who|which|did anyone|has anyone|does anyone|was anyone)\b", re.I)
_SPEAKER_ONLY = re.compile(
    r"^\s*what\s+(did|has|have|does|do)\s+.{1,80}?\s+(say|said|says|tell|told|state|stated)\s*[?.!]*\s*$", re.I
)


def question_type(item: GoldItem | dict) -> QuestionType:
    """The question type of a gold item, in this order of precedence:

    ``unanswerable`` (answerable false), ``follow-up`` (non-empty history),
    ``who-said`` (no gold speaker, or the question starts with Who/Which/Did
    anyone), ``speaker-only`` (no topic: "What did X say?"), else
    ``speaker-topic`` (:class:`~assistant.kinds.QuestionType` members).
    """
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    if not get("answerable"):
        return QuestionType.UNANSWERABLE
    if get("history"):
        return QuestionType.FOLLOW_UP
    q = get("question") or ""
    if get("speaker") is None or _WHO.match(q):
        return QuestionType.WHO_SAID
    if _SPEAKER_ONLY.match(q):
        return QuestionType.SPEAKER_ONLY
    return QuestionType.SPEAKER_TOPIC


def _check_record(rec: dict, where: str, n: int, seen: dict[str, int]) -> None:
    """Raise :class:`GoldError` for a missing or mistyped field, a duplicate id, a bad corpus name,
    an answerable item without gold quotes or gold quotes without articles; records the id in ``seen``."""
    for name, types in _QA_FIELDS.items():
        if name not in rec:
            raise GoldError(f"{where}: missing field '{name}'")
        if not isinstance(rec[name], types) or (types == (str,) and not rec[name].strip()):
            raise GoldError(f"{where}: field '{name}' has the wrong type or is empty ({rec[name]!r})")
    for name in ("history", "gold_quotes", "articles"):
        if not all(isinstance(x, str) and x.strip() for x in rec[name]):
            raise GoldError(f"{where}: field '{name}' must be a list of non-empty strings")
    if rec["id"] in seen:
        raise GoldError(f"{where}: duplicate id '{rec['id']}' (first on line {seen[rec['id']]})")
    seen[rec["id"]] = n
    corpus = rec.get("corpus")
    if corpus is not None and (not isinstance(corpus, str) or not corpus.strip()):
        raise GoldError(f"{where}: field 'corpus' must be a corpus file stem, got {corpus!r}")
    if rec["answerable"] and not rec["gold_quotes"]:
        raise GoldError(f"{where}: answerable item '{rec['id']}' has no gold_quotes")
    if rec["gold_quotes"] and not rec["articles"]:
        raise GoldError(f"{where}: item '{rec['id']}' has gold_quotes but no articles")


def _corpus_item_texts(item: GoldItem, cdir: Path, where: str, corpora: dict[str, CorpusSpec]) -> dict[str, str]:
    """The texts of an item's articles in its named corpus (registered in ``corpora``)."""
    corpus = item.corpus
    cfile = cdir / f"{corpus}.jsonl"
    if not cfile.is_file():
        known = sorted(p.stem for p in cdir.glob("*.jsonl"))
        raise GoldError(f"{where}: unknown corpus '{corpus}' (no {cfile}; known: {', '.join(known)})")
    all_texts = corpus_texts(cfile)
    texts: dict[str, str] = {}
    for aid in item.articles:
        if aid not in all_texts:
            raise GoldError(f"{where}: unknown article id '{aid}' in corpus '{corpus}' ({cfile})")
        texts[aid] = all_texts[aid]
    item.corpus_name = corpus
    corpora.setdefault(corpus, CorpusSpec(corpus, [cfile]))
    return texts


def _loose_item_texts(item: GoldItem, cdir: Path, where: str) -> tuple[dict[str, str], list[Path]]:
    """The texts of an item without a corpus, whose articles are files of ``cdir``, and those files."""
    texts: dict[str, str] = {}
    files = []
    for aid in item.articles:
        f = _article_file(cdir, aid)
        if f is None:
            raise GoldError(
                f"{where}: unknown article id '{aid}' (no field 'corpus', and no article file "
                f"{aid}{{{','.join(ARTICLE_SUFFIXES)}}} in {cdir})"
            )
        files.append(f)
        texts[aid] = corpus_texts(f)[f.stem]
    return texts, files


def load_qa_gold(gold: str | os.PathLike, corpus_dir: str | os.PathLike | None = None) -> tuple[list[GoldItem], dict[str, CorpusSpec]]:
    """Read and validate a Q&A gold file.

    Returns ``(items, corpora)``: the items in file order and the corpora they
    use by name. Raises :class:`GoldError` naming the file and line for a
    malformed line, a missing or mistyped field, a duplicate id, an unknown
    corpus or article id, an answerable item without gold quotes, or a gold
    quote that does not stand (whitespace aside) in any of the item's articles.
    """
    gold = Path(gold)
    cdir = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir(gold)
    records = read_jsonl(gold)
    if gold_kind(records) != "qa":
        raise GoldError(f"{gold}:{records[0][0]}: this is attribution gold (records with 'quotes'), not Q&A gold")
    if not cdir.is_dir():
        raise GoldError(f"{gold}: corpus folder {cdir} not found; pass --corpus-dir")
    items: list[GoldItem] = []
    corpora: dict[str, CorpusSpec] = {}
    seen: dict[str, int] = {}
    loose: list[tuple[GoldItem, list[Path]]] = []  # items whose articles are the corpus
    for n, rec in records:
        where = f"{gold}:{n}"
        _check_record(rec, where, n, seen)
        item = GoldItem(
            id=rec["id"], question=rec["question"], history=list(rec["history"]), answerable=rec["answerable"],
            speaker=rec["speaker"], gold_quotes=list(rec["gold_quotes"]), articles=list(rec["articles"]),
            corpus=rec.get("corpus"), line=n,
        )
        item.type = question_type(item)
        # the texts the articles must be found in
        if item.corpus is not None:
            texts = _corpus_item_texts(item, cdir, where, corpora)
        else:
            texts, files = _loose_item_texts(item, cdir, where)
            loose.append((item, files))
        for q in item.gold_quotes:
            if not any(locate_all(q, t) for t in texts.values()):
                short = q if len(q) <= 80 else q[:77] + "..."
                raise GoldError(f"{where}: gold quote {short!r} is not in article(s) {', '.join(item.articles)}")
        items.append(item)
    if loose:
        files = sorted({f for _, fs in loose for f in fs})
        if not files:
            raise GoldError(f"{gold}: items without 'corpus' name no articles, so there is nothing to index")
        name = files[0].stem if len(files) == 1 else f"articles-{len(files)}"
        corpora[name] = CorpusSpec(name, files)
        for item, _ in loose:
            item.corpus_name = name
    return items, corpora
