"""Query benchmark: latency of ``Assistant.ask`` against the naive dense passage search.

Index (built once, cached under ``--cache``): ggt-2019 + koreaherald-2020 + polnear-2016 +
bbc-2005 + the bundled seed article (~3,400 articles; ``--limit N`` keeps only the first N of
polnear and bbc, for development). Questions (200 by default): the dev gold's questions
(those with a history are asked in a conversation that first replays the history, untimed),
then generated "What did <speaker> say about <noun>?" from the speaker registry (most quoted
people first, the noun taken from one of their quotes).

For each question, in the same run and on the same index, it times

* ``Assistant.ask`` (or ``Conversation.ask`` after the replayed history), and
* the naive baseline ``Retriever.dense_passages(question, 5)``: encode the question, FAISS
  top-5 over the passages, fetch the passages.

and prints p50 / p95 / mean / max of both and the ratios (targets: p50 ≤ 1.5×, p95 ≤ 3×
the naive search). ``--profile`` adds the functions where ``ask`` spends its time.

    python benchmarks/query.py [--limit N] [--cache DIR] [--questions 200] [--index DIR] [--profile] [--threads T]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_CACHE,
    GOLD,
    cached_index,
    current_rss_mb,
    load_avg,
    machine_line,
    percentile,
    query_index_dir,
    query_sources,
    require_shared,
    verdict,
)

Question = tuple[list[str], str]  # (history, question)


def gold_questions() -> list[Question]:
    out = []
    for line in (GOLD / "qa-dev.jsonl").read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            out.append((list(d.get("history") or []), d["question"]))
    return out


def generated_questions(assistant, n: int) -> list[Question]:
    """Up to ``n`` "What did <speaker> say about <noun>?" from the registry, most quoted people first."""
    from assistant.nlp import load_nlp

    if n <= 0:
        return []
    nlp = load_nlp()
    store = assistant.index.store
    people = sorted((s for s in assistant.answerer.registry if s.type == "person" and s.n_quotes >= 2),
                    key=lambda s: (-s.n_quotes, s.name))
    out: list[Question] = []
    for s in people:
        ids = store.quotes_of_speakers([s.id])
        rows = store.quotes(ids[:3])
        for q, _ in sorted(rows.values(), key=lambda t: t[0].id):
            nouns = [t.text for t in nlp(q.text) if t.pos_ == "NOUN" and len(t.text) > 3 and t.text.isalpha()]
            if nouns:
                out.append(([], f"What did {s.name} say about {max(nouns, key=len).lower()}?"))
                break
        if len(out) >= n:
            break
    return out


def questions(assistant, n: int) -> list[Question]:
    gold = gold_questions()[:n]
    return gold + generated_questions(assistant, n - len(gold))


def summarize(xs: list[float]) -> dict[str, float]:
    return {"p50": percentile(xs, 50), "p95": percentile(xs, 95), "mean": sum(xs) / len(xs), "max": max(xs)}


WARMUP = ["What did the minister say about the economy?", "Who said the talks had failed?",
          "What did Kang say about China?", "And what about the US?", "What did the president say?"]


def clear_query_caches(assistant, naive) -> None:
    """Forget cached query vectors (``Retriever._vectors``) so every timed question is encoded, as a new one is."""
    for r in (getattr(getattr(assistant, "answerer", None), "retriever", None), naive):
        cache = getattr(r, "_vectors", None)
        if isinstance(cache, dict):
            cache.clear()


def measure(assistant, qs: list[Question], errors: list | None = None) -> tuple[list[float], list[float]]:
    """Seconds of ask and of the naive dense search for each question (alternating which goes first).

    Both start without cached query vectors; a question's replayed history is not timed.
    A question whose ask (or replayed history) raises is left out of both lists and, when
    ``errors`` is given, appended to it as (question, exception text); otherwise the error propagates.
    """
    from assistant.retrieve import Retriever

    naive = Retriever(assistant.index)
    for q in WARMUP:
        assistant.ask(q)
        naive.dense_passages(q, 5)
    t_ask, t_naive = [], []
    for i, (history, q) in enumerate(qs):
        timing: dict[str, float] = {}
        conv = assistant.chat()

        def run_ask(conv=conv, q=q, timing=timing):
            clear_query_caches(assistant, naive)
            t0 = time.perf_counter()
            conv.ask(q)
            timing["ask"] = time.perf_counter() - t0

        def run_naive(q=q, timing=timing):
            clear_query_caches(assistant, naive)
            t0 = time.perf_counter()
            naive.dense_passages(q, 5)
            timing["naive"] = time.perf_counter() - t0

        try:
            for h in history:
                conv.ask(h)
            for f in (run_ask, run_naive) if i % 2 == 0 else (run_naive, run_ask):
                f()
        except Exception as e:  # a crash of ask: counted and reported, not timed
            if errors is None:
                raise
            errors.append((q, f"{type(e).__name__}: {e}"))
            continue
        t_ask.append(timing["ask"])
        t_naive.append(timing["naive"])
    return t_ask, t_naive


def report_errors(errors: list, n: int) -> None:
    """Print how many of ``n`` questions raised in ``measure`` (``errors``: (question, text) pairs), the first 10."""
    if errors:
        print(f"  {len(errors)} of {n} questions raised in Assistant.ask (left out of both sides):")
        for q, e in errors[:10]:
            print(f"    {q!r}: {e}")


def report(t_ask: list[float], t_naive: list[float], label: str = "") -> dict[str, float]:
    a, n = summarize(t_ask), summarize(t_naive)
    print(f"{label}latency over {len(t_ask)} questions (ms):      p50     p95    mean     max")
    for name, s in (("Assistant.ask", a), ("naive dense top-5", n)):
        print(f"  {name:<22} {s['p50'] * 1e3:7.1f} {s['p95'] * 1e3:7.1f} {s['mean'] * 1e3:7.1f} {s['max'] * 1e3:7.1f}")
    r50, r95 = a["p50"] / n["p50"], a["p95"] / n["p95"]
    print(f"  ratio ask / naive: p50 {r50:.2f} (target <= 1.5: {verdict(r50, 1.5)}), "
          f"p95 {r95:.2f} (target <= 3: {verdict(r95, 3.0)})")
    return {"ask_p50": a["p50"], "ask_p95": a["p95"], "naive_p50": n["p50"], "naive_p95": n["p95"],
            "r50": r50, "r95": r95}


def profile_asks(assistant, qs: list[Question], top: int = 24) -> None:
    """cProfile over one ask per question: the functions with the most cumulative time (inside the package)."""
    import cProfile
    import pstats

    pr = cProfile.Profile()
    for history, q in qs:
        conv = assistant.chat()
        for h in history:
            conv.ask(h)
        clear_query_caches(assistant, None)
        pr.enable()
        try:
            conv.ask(q)
        except Exception:  # counted by measure()
            pass
        pr.disable()
    st = pstats.Stats(pr)
    rows = []
    for (file, line, fn), (_, nc, tt, ct, _) in st.stats.items():  # type: ignore[attr-defined]
        if re.search(r"assistant/|faiss|bm25s|sentence_transformers/SentenceTransformer|sqlite3", file) or fn in (
                "execute", "fetchall"):
            rows.append((ct, tt, nc, f"{Path(file).name}:{line}({fn})"))
    print(f"profile of {len(qs)} asks (history replayed unprofiled), cumulative seconds (own seconds), calls:")
    for ct, tt, nc, where in sorted(rows, reverse=True)[:top]:
        print(f"  {ct:7.2f} ({tt:6.2f}) {nc:7d}  {where}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N articles of polnear-2016 and bbc-2005 (default all)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache folder (default /tmp/bench-cache)")
    ap.add_argument("--index", type=Path, default=None, help="use this existing index instead of the cached one")
    ap.add_argument("--questions", type=int, default=200, help="number of questions (default 200)")
    ap.add_argument("--profile", action="store_true", help="also profile the asks")
    ap.add_argument("--threads", type=int, default=None,
                    help="torch and FAISS threads for the queries (default: their own, one per core)")
    args = ap.parse_args(argv)
    require_shared()
    print(machine_line("machine at start"), flush=True)

    from assistant.api import Assistant

    if args.threads:
        import faiss
        import torch

        torch.set_num_threads(args.threads)
        faiss.omp_set_num_threads(args.threads)
        print(f"torch and FAISS threads: {args.threads}")

    folder = args.index
    built = None
    if folder is None:
        folder, built = cached_index(query_index_dir(args.cache, args.limit), lambda: query_sources(args.limit),
                                     "query index")
    t0 = time.perf_counter()
    assistant = Assistant.load(folder)
    load_s = time.perf_counter() - t0
    counts = assistant.counts()
    print(f"index {folder}: {counts}" + (f"; built in {built:.0f} s" if built else " (cached)")
          + f"; loaded in {load_s:.1f} s; RSS {current_rss_mb():.0f} MiB", flush=True)
    qs = questions(assistant, args.questions)
    n_gold = sum(1 for _ in gold_questions()[: args.questions])
    print(f"questions: {len(qs)} ({n_gold} dev gold, {len(qs) - n_gold} generated)  [load {load_avg()}]", flush=True)
    errors: list = []
    t_ask, t_naive = measure(assistant, qs, errors)
    report(t_ask, t_naive)
    report_errors(errors, len(qs))
    if args.profile:
        profile_asks(assistant, qs)
    print(machine_line("machine at end"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
