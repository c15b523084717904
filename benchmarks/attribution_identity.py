"""Identity check of quote attribution: does a refactoring change any extracted quote?

Runs ``extract_quotes_doc`` over a fixed slice of the shared corpora (all of
ggt-2019 and koreaherald-2020, the first 300 articles of bbc-2005 and of
polnear-2016) exactly as the index build does: records are ingested
(``assistant.ingest.load_sources``, the cleaned article text), parsed with
``assistant.nlp.pipe`` (which parses ``clean_for_parse(text)``, same length
and offsets) and extracted with ``extract_quotes_doc(doc, article_id, text=text)``
so that quote texts, cues and mentions are read from the original text.
Every field of every :class:`assistant.models.Quote` is written, one JSON
object per line, to the output file, after a first line ``{"articles": M}``.

``--compare A B`` compares two dumps and prints ``identical: N quotes in M
articles`` (exit 0) or the first differences (exit 1).

``--docs FILE`` keeps the parsed docs in a spaCy ``DocBin`` (written on the
first run, read on later runs when the texts are the same), so that repeated
checks time the extraction only; the parse itself is the project's.

    python benchmarks/attribution_identity.py OUT.jsonl [--docs /tmp/identity-docs.spacy]
    python benchmarks/attribution_identity.py --compare BEFORE.jsonl AFTER.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CORPUS, read_jsonl  # noqa: E402

#: (corpus name, number of articles or None for all) in the order they are run.
SLICE: tuple[tuple[str, int | None], ...] = (
    ("ggt-2019", None),
    ("koreaherald-2020", None),
    ("bbc-2005", 300),
    ("polnear-2016", 300),
)
#: How many differences --compare prints before stopping.
MAX_SHOWN = 10


def load_articles() -> list:
    """The ingested articles of :data:`SLICE`, in order."""
    from assistant.ingest import load_sources

    records = []
    for name, limit in SLICE:
        records.extend(read_jsonl(CORPUS / f"{name}.jsonl", limit))
    loaded = load_sources(records)
    return loaded.articles


def parsed_docs(texts: list[str], nlp, cache: Path | None) -> list:
    """Docs of ``texts`` parsed by ``assistant.nlp.pipe``, read from ``cache`` when it holds these texts."""
    from spacy.tokens import DocBin

    from assistant import nlp as nlp_mod

    key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()
    stamp = cache.with_suffix(cache.suffix + ".key") if cache else None
    if cache and cache.exists() and stamp.exists() and stamp.read_text() == key:
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(nlp_mod.pipe(texts, nlp))
    if cache:
        DocBin(docs=docs, store_user_data=True).to_disk(cache)
        stamp.write_text(key)
    return docs


def dump(out: Path, cache: Path | None) -> int:
    if not CORPUS.is_dir():
        print(f"skipped: corpus folder {CORPUS} not found (the identity check needs ../shared)")
        return 0
    from assistant import nlp as nlp_mod

    try:
        from assistant.attribution import extract_quotes_doc
    except ImportError:  # a checkout from before the package (the "before" dump)
        from assistant.quotes import extract_quotes_doc
    nlp = nlp_mod.load_nlp()
    arts = load_articles()
    t0 = time.perf_counter()
    docs = parsed_docs([a.text for a in arts], nlp, cache)
    t1 = time.perf_counter()
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"articles": len(arts)}) + "\n")
        for art, doc in zip(arts, docs, strict=True):
            for q in extract_quotes_doc(doc, article_id=art.id, text=art.text):
                row = asdict(q)
                row["article_id"] = art.id
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
    t2 = time.perf_counter()
    print(f"{n} quotes in {len(arts)} articles -> {out} (parse {t1 - t0:.0f}s, extract {t2 - t1:.1f}s)")
    return 0


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def compare(a: Path, b: Path) -> int:
    ra, rb = _rows(a), _rows(b)
    n_articles = ra[0].get("articles", 0) if ra else 0
    shown = 0
    for i in range(max(len(ra), len(rb))):
        x = ra[i] if i < len(ra) else None
        y = rb[i] if i < len(rb) else None
        if x == y:
            continue
        shown += 1
        if x is None or y is None:
            print(f"line {i + 1}: only in {'A' if y is None else 'B'}: {x or y}")
        else:
            fields = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            where = f"{x.get('article_id')} {x.get('start')}-{x.get('end')}"
            print(f"line {i + 1} ({where}): " + "; ".join(f"{k}: {x.get(k)!r} -> {y.get(k)!r}" for k in fields))
        if shown >= MAX_SHOWN:
            break
    if shown:
        print(f"DIFFERENT: {len(ra) - 1} vs {len(rb) - 1} quotes")
        return 1
    print(f"identical: {len(ra) - 1} quotes in {n_articles} articles")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path, help="JSONL file the quotes are written to")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="compare two dumps")
    ap.add_argument("--docs", type=Path, default=None, help="DocBin file caching the parsed docs")
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        ap.error("give an output file or --compare A B")
    return dump(args.out, args.docs)


if __name__ == "__main__":
    sys.exit(main())
