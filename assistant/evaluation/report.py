"""Printing and writing evaluation results: the compact table (:func:`format_result`), the charts and
``report.md`` (:func:`write_report`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .scores import CITED_CHARS_K, KS


def _f(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f}"


def _headline_rows(result: dict) -> list[tuple[str, str, str]]:
    """``(label, assistant, baseline)`` rows of the headline table."""
    o = result["overall"]
    a, b = o["assistant"], o.get("baseline")

    def bv(key: str, fmt: Callable[[Any], str] = _f) -> str:
        return fmt(b[key]) if b else "-"

    rows = [(f"quote recall@{k}", _f(a[f"recall@{k}"]), bv(f"recall@{k}")) for k in result["ks"]]
    rows += [
        ("MRR (first gold quote)", _f(a["mrr"]), bv("mrr")),
        ("speaker accuracy", _f(a["speaker_accuracy"]), "n/a" if b else "-"),
        ("resolved speaker", _f(a["resolved_speaker"]), "n/a" if b else "-"),
        ("citation validity", _f(a["citation_validity"]), bv("citation_validity")),
        (f"abstention (n={a['n_unanswerable']})", _f(a["abstention"]), bv("abstention")),
        (f"false abstention (n={a['n_answerable']})", _f(a["false_abstention"]), bv("false_abstention")),
        (f"cited chars (top {CITED_CHARS_K})", _f(a["cited_chars"], 0), bv("cited_chars", lambda x: _f(x, 0))),
        ("latency p50 / p95 (ms)", f"{_ms(a['latency_p50_ms'])} / {_ms(a['latency_p95_ms'])}",
         f"{_ms(b['latency_p50_ms'])} / {_ms(b['latency_p95_ms'])}" if b else "-"),
    ]
    return rows


def _group_rows(result: dict, group: str) -> list[list[str]]:
    hk = 5 if 5 in result["ks"] else result["k"]
    out = []
    for name, g in result[group].items():
        a, b = g["assistant"], g.get("baseline")
        out.append([
            name, str(a["n_items"]),
            _f(a[f"recall@{hk}"]), _f(b[f"recall@{hk}"]) if b else "-",
            _f(a["mrr"]), _f(b["mrr"]) if b else "-",
            _f(a["speaker_accuracy"]), _f(a["abstention"]), _f(a["false_abstention"]),
            _ms(a["latency_p50_ms"]),
        ])
    return out


def _group_header(result: dict) -> list[str]:
    hk = 5 if 5 in result["ks"] else result["k"]
    return ["", "n", f"R@{hk} asst", f"R@{hk} base", "MRR asst", "MRR base", "speaker", "abstain", "false abst", "p50 ms"]


def _text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        lines.append("  ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)))
    return "\n".join(lines)


def _title(result: dict) -> str:
    a = result["overall"]["assistant"]
    names = ", ".join(
        f"{c} ({info.get('counts', {}).get('articles', '?')} articles{', cached' if info.get('cached') else ''})"
        for c, info in result.get("indexes", {}).items()
    )
    return (
        f"Q&A evaluation of {Path(result['gold']).name}: {result['n_items']} items "
        f"({a['n_answerable']} answerable, {a['n_unanswerable']} unanswerable); corpora: {names}; "
        f"model {result.get('model', '?')}; {result.get('seconds', 0):.1f} s"
    )


def format_result(result: dict) -> str:
    """A compact, printable summary: headline table with assistant and baseline side by side,
    then per corpus and per question type. Attribution results are formatted by
    :func:`assistant.attribution_eval.format_attribution_report`."""
    if result.get("kind") == "attribution":
        from ..attribution_eval import format_attribution_report

        return format_attribution_report(result)
    parts = [_title(result), ""]
    parts.append(_text_table(["", "assistant", "baseline"], [list(r) for r in _headline_rows(result)]))
    parts += ["", "by corpus:", _text_table(_group_header(result), _group_rows(result, "by_corpus"))]
    parts += ["", "by question type:", _text_table(_group_header(result), _group_rows(result, "by_type"))]
    a = result["overall"]["assistant"]
    parts += ["", f"{a['n_failed']} of {a['n_items']} items failed (see the report); {a['n_errors']} raised errors"]
    return "\n".join(parts)


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    esc = [[str(c).replace("|", "\\|") for c in r] for r in [header, *rows]]
    lines = ["| " + " | ".join(esc[0]) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in esc[1:]]
    return "\n".join(lines)


def _plot_recall(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    ks = [k for k in result["ks"] if k in KS] or result["ks"]
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    styles = {"assistant": ("#1f77b4", "o"), "baseline": ("#ff7f0e", "s")}
    for system in result["systems"]:
        m = result["overall"][system]
        ys = [m[f"recall@{k}"] for k in ks]
        xs = [x for x, y in zip(ks, ys, strict=True) if y is not None]
        ys = [y for y in ys if y is not None]
        color, marker = styles.get(system, ("gray", "^"))
        label = f"{system} (MRR {_f(m['mrr'])})"
        ax.plot(xs, ys, marker=marker, color=color, label=label, linewidth=2)
        for x, y in zip(xs, ys, strict=True):
            dy = 7 if system == "assistant" else -13  # assistant labels above, baseline below: no overlap
            ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, dy), ha="center", fontsize=8,
                        color=color)
    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(ks)
    ax.set_xticklabels([str(k) for k in ks])
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("k (citations considered)")
    ax.set_ylabel("quote recall@k")
    n = result["overall"]["assistant"]["n_answerable"]
    ax.set_title(f"Quote recall@k, {Path(result['gold']).name} ({n} answerable items)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _plot_types(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    hk = 5 if 5 in result["ks"] else result["k"]
    types = list(result["by_type"])
    series: list[tuple[str, Callable[[dict], float | None], str]] = [
        (f"assistant recall@{hk}", lambda g: g["assistant"][f"recall@{hk}"], "#1f77b4"),
    ]
    if "baseline" in result["systems"]:
        series.append((f"baseline recall@{hk}", lambda g: g["baseline"][f"recall@{hk}"], "#ff7f0e"))
    series.append(("assistant MRR", lambda g: g["assistant"]["mrr"], "#aec7e8"))
    if "baseline" in result["systems"]:
        series.append(("baseline MRR", lambda g: g["baseline"]["mrr"], "#ffbb78"))
    series.append(("speaker accuracy", lambda g: g["assistant"]["speaker_accuracy"], "#2ca02c"))

    def decision(g: dict) -> float | None:
        a = g["assistant"]
        if a["n_answerable"] == 0:
            return a["abstention"]
        return None if a["false_abstention"] is None else 1.0 - a["false_abstention"]

    series.append(("right answer/abstain call", decision, "#9467bd"))
    fig, ax = plt.subplots(figsize=(max(7.0, 1.6 * len(types) + 2), 4.6), dpi=110)
    width = 0.8 / len(series)
    for j, (label, get, color) in enumerate(series):
        for i, t in enumerate(types):
            v = get(result["by_type"][t])
            x = i - 0.4 + width * (j + 0.5)
            if v is None:
                continue
            ax.bar(x, v, width, color=color, label=label if i == next(
                (ii for ii, tt in enumerate(types) if get(result["by_type"][tt]) is not None), -1) else None)
            ax.text(x, v + 0.01, f"{v:.2f}", ha="center", va="bottom", fontsize=6, rotation=90)
    ax.set_xticks(range(len(types)))
    ax.set_xticklabels([f"{t}\n(n={result['by_type'][t]['assistant']['n_items']})" for t in types])
    ax.set_ylim(0, 1.18)
    ax.set_ylabel("score")
    ax.set_title(f"Metrics by question type, {Path(result['gold']).name}")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _quote_md(text: str, limit: int = 400) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 3] + "..."


def _failed_item_md(r: dict) -> list[str]:
    s = r["scores"]
    lines = [f"### {r['id']} ({r['type']}, {r['corpus']}, gold line {r['line']})", ""]
    lines.append("- **failed:** " + "; ".join(r["failures"]))
    if r["history"]:
        lines.append("- **history:** " + " → ".join(f"“{h}”" for h in r["history"]))
    lines.append(f"- **question:** “{r['question']}”")
    lines.append(f"- **expected speaker:** {r['speaker'] or '(any)'}; answerable: {str(r['answerable']).lower()}")
    for i, q in enumerate(r["gold_quotes"]):
        lines.append(f"  - gold quote {i + 1}: “{_quote_md(q)}”")
    a = r["answer"]
    if a is None:
        lines.append("- **came back:** nothing (the question raised an error)")
        lines += ["", "```", (r["error"] or "").strip(), "```"]
    else:
        lines.append(
            f"- **came back:** speaker {a['speaker'] or '(none)'}, abstained {str(a['abstained']).lower()}, "
            f"type {a['question_type'] or '?'}, {len(a['citations'])} citations, "
            f"recall@5 {_f(s.get('recall@5'))}, RR {_f(s['rr'])}, latency {_ms(r['latency_ms'])} ms"
        )
        lines += ["", "  > " + _quote_md(a["text"], 700).replace("\n", " "), ""]
        for i, c in enumerate(a["citations"], start=1):
            found = f" finds gold {', '.join(str(j + 1) for j in c['finds'])}" if c.get("finds") else ""
            bad = "" if c["valid"] else " **INVALID SPAN**"
            lines.append(
                f"  {i}. [{c['article_id']} {c['start']}:{c['end']}] ({c['kind']}, {c['speaker'] or 'no speaker'}"
                f"{', ' + c['cue'] if c.get('cue') else ''}){found}{bad}: “{_quote_md(c['text'], 300)}”"
            )
    b = r.get("baseline")
    if b:
        hits = [str(i) for i, c in enumerate(b["citations"], start=1) if c.get("finds")]
        lines.append(
            f"- **baseline:** recall@5 {_f(b['scores'].get('recall@5'))}, RR {_f(b['scores']['rr'])}"
            + (f" (gold found at ranks {', '.join(hits)})" if hits else "")
        )
    if r["unlocated"]:
        lines.append("- gold quotes not found in the stored article text: " + "; ".join(f"“{_quote_md(q, 120)}”" for q in r["unlocated"]))
    lines.append("")
    return lines


def write_report(result: dict, report_dir: str | os.PathLike) -> Path:
    """Write ``report.md`` (headline figures of both systems first, the charts, per-corpus and
    per-type tables, then every failed item) and the PNG charts ``recall_at_k.png`` and
    ``by_type.png`` into ``report_dir`` (created). Returns the path of ``report.md``.

    Attribution results get a ``report.md`` with their formatted report.
    """
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.md"
    if result.get("kind") == "attribution":
        path.write_text(f"# Attribution evaluation: {Path(str(result.get('gold', ''))).name}\n\n```\n"
                        f"{format_result(result)}\n```\n", encoding="utf-8")
        return path
    _plot_recall(result, out / "recall_at_k.png")
    _plot_types(result, out / "by_type.png")
    a = result["overall"]["assistant"]
    md = [f"# Q&A evaluation: {Path(result['gold']).name}", "", _title(result), "",
          "## Headline: assistant vs baseline", ""]
    md.append(_md_table(["metric", "assistant", "baseline"], [list(r) for r in _headline_rows(result)]))
    md += ["", "![recall@k, assistant vs baseline](recall_at_k.png)", "",
           "![metrics by question type](by_type.png)", ""]
    md += [
        "Definitions: a gold quote is found when one of the first k citations is from its article and covers at "
        "least half its characters; recall@k and MRR are means over answerable items; speaker accuracy is the "
        "share of citations (answerable items) whose speaker is the gold speaker, alias-aware; resolved speaker "
        "is the share of answerable items whose answer names the gold speaker; abstention is over unanswerable "
        "items, false abstention over answerable ones. The baseline cites whole dense-retrieved passages for the "
        "question alone (no history): it never abstains and names no speaker; its long spans make coverage "
        "easier, see cited chars.", "",
    ]
    md += ["## By corpus", "", _md_table(_group_header(result), _group_rows(result, "by_corpus")), ""]
    md += ["## By question type", "", _md_table(_group_header(result), _group_rows(result, "by_type")), ""]
    md += ["## Question type: gold (inferred) vs the assistant's analysis", ""]
    pairs: dict[tuple[str, str], int] = {}
    for r in result["items"]:
        got = (r["answer"] or {}).get("question_type") or "(error)"
        pairs[(r["type"], got)] = pairs.get((r["type"], got), 0) + 1
    md.append(_md_table(["gold type", "Answer.question_type", "items"],
                        [[g, a, str(n)] for (g, a), n in sorted(pairs.items())]))
    md += ["", "## Indexes", ""]
    for c, info in result.get("indexes", {}).items():
        counts = ", ".join(f"{v} {k}" for k, v in info.get("counts", {}).items())
        md.append(f"- {c}: `{info['dir']}` ({'cached' if info['cached'] else 'built'} in {info['seconds']} s; {counts})")
        md += [f"  - skipped while indexing: {p}" for p in info.get("problems", [])]
    failed = [r for r in result["items"] if r["failures"]]
    md += ["", f"## Failed items ({len(failed)} of {a['n_items']})", ""]
    if not failed:
        md.append("None.")
    for r in failed:
        md += _failed_item_md(r)
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return path
