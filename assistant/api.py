"""The public Python API: :class:`Assistant` and :class:`Conversation`."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

from .errors import AssistantError
from .indexing import DEFAULT_INDEX_DIR, BuildSummary, Index, Progress, build_index
from .models import Answer, Article, Citation, Speaker
from .settings import Settings

SAMPLE_DIR = Path(__file__).parent / "data"


def sample_articles() -> list[Path]:
    """The article files bundled with the package (the seed article), for a first run."""
    return sorted(SAMPLE_DIR.glob("*.txt"))


class Assistant:
    """Question answering over an index of news articles.

    Usage::

        from assistant import Assistant
        a = Assistant.build(["articles/"], "index")      # or Assistant.load("index")
        answer = a.ask("What did Kang say about China?")
        print(answer.text)                              # quotes with [1], [2] markers
        conv = a.chat()
        conv.ask("What did Kang say about China?")
        conv.ask("And what about the US?")              # same speaker, new topic

    Raises :class:`~assistant.errors.IndexNotUsable` when the folder holds no
    usable index.
    """

    def __init__(self, index: Index):
        from .answer import Answerer

        self._lock = threading.RLock()
        self.index = index
        self.answerer = Answerer(index)

    # ---- construction -------------------------------------------------
    @classmethod
    def build(
        cls,
        sources: Iterable[str | os.PathLike | dict | Article],
        index_dir: str | os.PathLike = DEFAULT_INDEX_DIR,
        settings: Settings | None = None,
        progress: Progress | None = None,
    ) -> Assistant:
        """Build (or extend) the index at ``index_dir`` from files, folders or records, then open it."""
        summary = build_index(list(sources), index_dir, settings, progress=progress)
        assistant = cls.load(index_dir)
        assistant.last_build = summary
        return assistant

    @classmethod
    def load(cls, index_dir: str | os.PathLike = DEFAULT_INDEX_DIR, model: str | None = None,
             settings: Settings | None = None) -> Assistant:
        """Open the index at ``index_dir``. ``model`` checks the embedding model it was built with;
        ``settings`` checks every build field (:func:`assistant.settings.build_mismatch`).
        Raises :class:`~assistant.errors.IndexNotUsable` naming what differs."""
        return cls(Index.open(index_dir, model=model, settings=settings))

    def add(self, sources: Iterable, progress: Progress | None = None) -> BuildSummary:
        """Add articles to this index (only new ones are parsed and embedded) and switch to the new version.

        Conversations keep working; they see the new articles from their next question.
        """
        summary = build_index(list(sources), self.index.dir, progress=progress)
        if summary.added_articles:
            fresh = Index.open(self.index.dir)
            with self._lock:
                self.index = fresh
                self.answerer.set_index(fresh)
        return summary

    # ---- asking -------------------------------------------------------
    def ask(self, question: str) -> Answer:
        """Answer one question without history."""
        return self.chat().ask(question)

    def chat(self) -> Conversation:
        """A new conversation whose ``ask`` keeps state (last speaker, topic, quotes shown)."""
        return Conversation(self)

    # ---- browsing -----------------------------------------------------
    def speakers(self, query: str = "") -> list[Speaker]:
        """The speaker registry, most quoted first; ``query`` filters by name, alias or title (case-insensitive)."""
        q = query.strip().lower()
        out = [
            s for s in self.index.store.speakers()
            if not q or q in s.name.lower() or any(q in a.lower() for a in s.aliases) or any(q in t.lower() for t in s.titles)
        ]
        return sorted(out, key=lambda s: (-s.n_quotes, s.name))

    def quotes_of(self, speaker: str) -> list[Citation]:
        """Every quote of the speaker named ``speaker`` (canonical name), as citations in article order."""
        return self.answerer.quotes_of(speaker)

    def article(self, article_id: str) -> Article:
        """The stored article; raises :class:`AssistantError` for an unknown id."""
        art = self.index.store.article(article_id)
        if art is None:
            raise AssistantError(f"No article '{article_id}' in the index at {self.index.dir}")
        return art

    def counts(self) -> dict[str, int]:
        """Numbers of articles, passages, quotes and speakers in the index."""
        return self.index.counts()


class Conversation:
    """One conversation: each ``ask`` may lean on the earlier turns ("And what about the US?")."""

    def __init__(self, assistant: Assistant):
        from .converse import DialogueState

        self.assistant = assistant
        self.state = DialogueState()
        self.history: list[tuple[str, Answer]] = []

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in the context of this conversation; never raises on odd questions."""
        with self.assistant._lock:  # never half-way through a switch to a new index version
            answer = self.assistant.answerer.answer(question, self.state)
        self.history.append((question, answer))
        return answer
