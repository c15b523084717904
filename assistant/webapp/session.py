"""State behind the page: the assistant loaded in the background (:class:`AssistantHolder`), the
per-browser :class:`Session`, and small helpers of the handlers."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AssistantError
from ..models import Citation
from .uploads import UPLOADS_DIRNAME


class AssistantHolder:
    """Holds the :class:`~assistant.Assistant`, loading it lazily (in a thread) from an index folder."""

    def __init__(self, assistant: Any = None, index_dir: str | os.PathLike | None = None):
        self._assistant = assistant
        self.index_dir = Path(index_dir) if index_dir is not None else Path(getattr(getattr(assistant, "index", None), "dir", "index"))
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        if assistant is not None:
            self._ready.set()

    def start(self) -> None:
        """Begin loading in a background thread (idempotent)."""
        with self._lock:
            if self._started or self._ready.is_set():
                return
            self._started = True
        threading.Thread(target=self._load, name="assistant-load", daemon=True).start()

    def _load(self) -> None:
        try:
            from ..api import Assistant

            self._assistant = Assistant.load(self.index_dir)
            # load the embedding model now, not at the first question (it is most of the start-up time)
            self._assistant.index.encoder.warm_up()
        except BaseException as e:  # surfaced to the page by get()
            self._error = e
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._error is None

    def get(self, timeout: float | None = 600) -> Any:
        """The loaded assistant; waits for the load. Raises :class:`AssistantError` if loading failed."""
        self.start()
        if not self._ready.wait(timeout):
            raise AssistantError("The index is still loading; try again in a moment")
        if self._error is not None:
            if isinstance(self._error, AssistantError):
                raise self._error
            raise AssistantError(f"Could not open the index at {self.index_dir}: {self._error}") from self._error
        return self._assistant

    def uploads_dir(self) -> Path:
        """Where uploaded files are copied: ``<index>/uploads``."""
        return self.index_dir / UPLOADS_DIRNAME


@dataclass
class Session:
    """Per-browser-session state: the conversation, the chat as shown, the last answer's citations."""

    conversation: Any = None
    messages: list[dict] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


def _article_text_fn(assistant: Any) -> Callable[[str], str | None]:
    def get(aid: str) -> str | None:
        try:
            return assistant.article(aid).text
        except Exception:
            return None

    return get


def _status_line(assistant: Any) -> str:
    try:
        c = assistant.counts()
    except Exception:
        return ""
    return "Index: " + " · ".join(
        _plural(c.get(k, 0), k[:-1]) for k in ("articles", "quotes", "speakers")
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _stream_chunks(text: str, step: int = 6) -> Iterator[str]:
    """Growing prefixes of ``text``, a few words at a time (for a streamed answer)."""
    words = re.split(r"(\s+)", text)
    for i in range(step * 2, len(words), step * 2):
        yield "".join(words[:i])
    yield text


def _citation_choices(citations: Sequence[Citation]) -> list[tuple[str, str]]:
    return [(f"[{i}]", str(i)) for i in range(1, len(citations) + 1)]
