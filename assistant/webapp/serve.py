"""Serving the app: :func:`launch` (indexing the bundled sample on a first run, :func:`prepare_index`)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import gradio as gr

from ..errors import AssistantError
from .app import APP_TITLE, build_app
from .session import AssistantHolder
from .uploads import MAX_UPLOAD_BYTES


def has_index(index_dir: Path) -> bool:
    """Whether ``index_dir`` holds a built index (a ``CURRENT`` pointer)."""
    return (Path(index_dir) / "CURRENT").is_file()


def _print_progress(stage: str, done: int, total: int) -> None:
    label = {"load": "reading articles", "parse": "finding quotes", "embed": "embedding", "write": "writing index"}
    print(f"  {label.get(stage, stage)}: {done}/{total}", file=sys.stderr, flush=True)


def prepare_index(index_dir: Path) -> None:
    """On a first run (no index yet), index the bundled sample article, printing progress."""
    if has_index(index_dir):
        return
    from ..api import sample_articles
    from ..indexing import build_index

    print(f"No index at {index_dir}/ yet: indexing the bundled sample article (first run only)…", file=sys.stderr)
    t0 = time.time()
    summary = build_index(sample_articles(), index_dir, progress=_print_progress)
    print(f"{summary.line()} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)


def launch(
    index_dir: Path = Path("index"),
    host: str = "127.0.0.1",
    port: int = 7860,
    *,
    block: bool = True,
) -> gr.Blocks:
    """Serve the app on ``host:port`` (127.0.0.1 by default) over the index at ``index_dir``.

    A first run indexes the bundled sample article before serving; later runs serve at
    once and open the index in the background. ``block=False`` returns the running app.
    """
    index_dir = Path(index_dir)
    try:
        prepare_index(index_dir)
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        raise SystemExit(1) from None
    holder = AssistantHolder(index_dir=index_dir)
    demo = build_app(holder)
    demo.queue(default_concurrency_limit=1)
    print(f"Serving {APP_TITLE} on http://{host}:{port}/ (index: {index_dir}/)", file=sys.stderr, flush=True)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=True,
        ssr_mode=False,
        max_file_size=f"{(MAX_UPLOAD_BYTES * 5) // (1024 * 1024)}mb",
        prevent_thread_lock=True,
        quiet=False,
        enable_monitoring=False,
        theme=gr.themes.Default(),
    )
    # open the index once the page is being served (importing the models takes a few seconds)
    holder.start()
    if block:
        try:
            demo.block_thread()
        except KeyboardInterrupt:
            pass
    return demo
