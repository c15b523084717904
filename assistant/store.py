"""SQLite storage of articles, passages, quotes and speakers (one file, ``store.sqlite``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .kinds import SpeakerType
from .models import Article, Passage, Quote, Speaker

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY, title TEXT, date TEXT, source TEXT, author TEXT, url TEXT,
  origin TEXT, text TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
  id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_article ON passages(article_id);
CREATE TABLE IF NOT EXISTS quotes (
  id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  kind TEXT NOT NULL, cue TEXT, cue_start INTEGER, cue_end INTEGER,
  mention TEXT, mention_start INTEGER, mention_end INTEGER,
  speaker_raw TEXT, speaker_type TEXT, speaker_title TEXT, speaker_id INTEGER
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_id);
CREATE TABLE IF NOT EXISTS speakers (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT, aliases TEXT, titles TEXT,
  articles TEXT, n_quotes INTEGER, gender TEXT
);
CREATE TABLE IF NOT EXISTS problems (file TEXT, line INTEGER, problem TEXT);
"""

ARTICLE_FIELDS = ("id", "title", "date", "source", "author", "url", "origin", "text")


class Store:
    """Reads and writes the SQLite file of one index generation.

    Passage and quote texts are not stored twice: they are sliced from the
    article text on read, so ``text == article.text[start:end]`` by construction.
    """

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            uri = f"file:{self.path}?mode=ro&immutable=1"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self.db = sqlite3.connect(str(self.path), check_same_thread=False)
            self.db.executescript(SCHEMA)
        self._texts: dict[str, str] = {}

    def close(self) -> None:
        self.db.close()

    # ---- writes -------------------------------------------------------
    def add_article(self, art: Article, text_hash: str) -> None:
        self.db.execute(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?)",
            (*(getattr(art, f) for f in ARTICLE_FIELDS), text_hash),
        )

    def add_passages(self, passages: Iterable[Passage]) -> list[int]:
        ids = []
        for p in passages:
            cur = self.db.execute("INSERT INTO passages(article_id,start,\"end\") VALUES (?,?,?)", (p.article_id, p.start, p.end))
            p.id = cur.lastrowid
            ids.append(p.id)
        return ids

    def add_quotes(self, quotes: Iterable[Quote]) -> list[int]:
        ids = []
        for q in quotes:
            cur = self.db.execute(
                "INSERT INTO quotes(article_id,start,\"end\",kind,cue,cue_start,cue_end,mention,mention_start,"
                "mention_end,speaker_raw,speaker_type,speaker_title) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (q.article_id, q.start, q.end, q.kind, q.cue, q.cue_start, q.cue_end, q.mention, q.mention_start,
                 q.mention_end, q.speaker, q.speaker_type, q.speaker_title),
            )
            q.id = cur.lastrowid
            ids.append(q.id)
        return ids

    def replace_speakers(self, speakers: list[Speaker], quote_speaker: dict[int, int]) -> None:
        """Replace the registry; ``quote_speaker`` maps quote id -> index into ``speakers``."""
        self.db.execute("DELETE FROM speakers")
        for i, s in enumerate(speakers, start=1):
            s.id = i
            self.db.execute(
                "INSERT INTO speakers VALUES (?,?,?,?,?,?,?,?)",
                (i, s.name, s.type, json.dumps(s.aliases), json.dumps(s.titles), json.dumps(s.articles), s.n_quotes, s.gender),
            )
        self.db.execute("UPDATE quotes SET speaker_id = NULL")
        self.db.executemany(
            "UPDATE quotes SET speaker_id=? WHERE id=?", [(idx + 1, qid) for qid, idx in quote_speaker.items()]
        )

    def upsert_speakers(self, speakers: list[Speaker], quote_speaker: dict[int, int]) -> None:
        """Insert or update speakers by their ``id``; ``quote_speaker`` maps quote id -> speaker id."""
        self.db.executemany(
            "INSERT OR REPLACE INTO speakers VALUES (?,?,?,?,?,?,?,?)",
            [(s.id, s.name, s.type, json.dumps(s.aliases), json.dumps(s.titles), json.dumps(s.articles), s.n_quotes,
              s.gender) for s in speakers],
        )
        self.db.executemany("UPDATE quotes SET speaker_id=? WHERE id=?", [(sid, qid) for qid, sid in quote_speaker.items()])

    def add_problems(self, problems) -> None:
        self.db.executemany("INSERT INTO problems VALUES (?,?,?)", [(p.path, p.line, p.problem) for p in problems])

    def commit(self) -> None:
        self.db.commit()

    # ---- reads --------------------------------------------------------
    def article_text(self, article_id: str) -> str:
        text = self._texts.get(article_id)
        if text is None:
            row = self.db.execute("SELECT text FROM articles WHERE id=?", (article_id,)).fetchone()
            if row is None:
                raise KeyError(article_id)
            text = row[0]
            if len(self._texts) > 2000:
                self._texts.clear()
            self._texts[article_id] = text
        return text

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute(f"SELECT {','.join(ARTICLE_FIELDS)} FROM articles WHERE id=?", (article_id,)).fetchone()
        return Article(**dict(zip(ARTICLE_FIELDS, row))) if row else None

    def article_meta(self, article_id: str) -> dict:
        row = self.db.execute("SELECT title,date,source FROM articles WHERE id=?", (article_id,)).fetchone()
        return dict(zip(("title", "date", "source"), row)) if row else {"title": "", "date": "", "source": ""}

    def article_ids_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, hash FROM articles"))

    def iter_articles(self):
        for row in self.db.execute(f"SELECT {','.join(ARTICLE_FIELDS)} FROM articles ORDER BY rowid"):
            yield Article(**dict(zip(ARTICLE_FIELDS, row)))

    def passage(self, pid: int) -> Passage:
        aid, s, e = self.db.execute('SELECT article_id,start,"end" FROM passages WHERE id=?', (pid,)).fetchone()
        return Passage(aid, s, e, self.article_text(aid)[s:e], id=pid)

    def passages_of(self, article_id: str) -> list[Passage]:
        text = self.article_text(article_id)
        rows = self.db.execute('SELECT id,start,"end" FROM passages WHERE article_id=? ORDER BY start', (article_id,))
        return [Passage(article_id, s, e, text[s:e], id=i) for i, s, e in rows]

    _QCOLS = ('q.id,q.article_id,q.start,q."end",q.kind,q.cue,q.cue_start,q.cue_end,q.mention,q.mention_start,'
              'q.mention_end,COALESCE(s.name,q.speaker_raw),q.speaker_type,q.speaker_title,q.speaker_id')

    def _quote(self, row) -> tuple[Quote, int | None]:
        (qid, aid, s, e, kind, cue, cs, ce, mention, ms, me, speaker, stype, stitle, sid) = row
        text = self.article_text(aid)
        q = Quote(text[s:e], s, e, kind, cue or "", cs, ce, mention or "", ms, me, speaker, stype or SpeakerType.UNKNOWN,
                  stitle or "", aid, qid)
        return q, sid

    def quotes(self, ids: Iterable[int]) -> dict[int, tuple[Quote, int | None]]:
        ids = list(ids)
        out = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.db.execute(
                f"SELECT {self._QCOLS} FROM quotes q LEFT JOIN speakers s ON s.id=q.speaker_id "
                f"WHERE q.id IN ({','.join('?' * len(chunk))})", chunk)
            for row in rows:
                q, sid = self._quote(row)
                out[q.id] = (q, sid)
        return out

    def quotes_of_speakers(self, speaker_ids: Iterable[int]) -> list[int]:
        ids = list(speaker_ids)
        if not ids:
            return []
        rows = self.db.execute(f"SELECT id FROM quotes WHERE speaker_id IN ({','.join('?' * len(ids))})", ids)
        return [r[0] for r in rows]

    def quotes_of_article(self, article_id: str) -> list[Quote]:
        return [q for q, _ in self.quotes_with_speakers_of_article(article_id)]

    def quotes_with_speakers_of_article(self, article_id: str) -> list[tuple[Quote, int | None]]:
        """The article's quotes in text order, each with its registry speaker id (or None)."""
        rows = self.db.execute(
            f"SELECT {self._QCOLS} FROM quotes q LEFT JOIN speakers s ON s.id=q.speaker_id "
            "WHERE q.article_id=? ORDER BY q.start", (article_id,))
        return [self._quote(r) for r in rows]

    def all_quotes(self) -> list[Quote]:
        rows = self.db.execute(f"SELECT {self._QCOLS} FROM quotes q LEFT JOIN speakers s ON s.id=q.speaker_id ORDER BY q.id")
        return [self._quote(r)[0] for r in rows]

    def raw_quotes(self) -> list[Quote]:
        """Quotes with their per-article speaker (before registry merging), for rebuilding the registry."""
        rows = self.db.execute(
            'SELECT id,article_id,start,"end",kind,cue,cue_start,cue_end,mention,mention_start,mention_end,'
            "speaker_raw,speaker_type,speaker_title,speaker_id FROM quotes q ORDER BY id")
        return [self._quote(r)[0] for r in rows]

    def speakers(self, reuse: dict[tuple, Speaker] | None = None) -> list[Speaker]:
        """Every registered speaker, by id.

        ``reuse`` maps a raw row (a tuple of the stored columns) to the Speaker read from it
        before: unchanged rows are not parsed again, and the map is updated in place.
        """
        rows = self.db.execute("SELECT id,name,type,aliases,titles,articles,n_quotes,gender FROM speakers ORDER BY id")
        if reuse is None:
            return [_speaker(row) for row in rows]
        out, seen = [], {}
        for row in rows:
            sp = reuse.get(row)
            if sp is None:
                sp = _speaker(row)
            seen[row] = sp
            out.append(sp)
        reuse.clear()
        reuse.update(seen)
        return out

    def _span_texts(self, table: str) -> tuple[list[int], list[str]]:
        ids, texts = [], []
        for rid, aid, s, e in self.db.execute(f'SELECT id,article_id,start,"end" FROM {table} ORDER BY id'):
            ids.append(rid)
            texts.append(self.article_text(aid)[s:e])
        return ids, texts

    def passage_texts(self) -> tuple[list[int], list[str]]:
        """(ids, texts) of every passage, in id order."""
        return self._span_texts("passages")

    def quote_texts(self) -> tuple[list[int], list[str]]:
        """(ids, texts) of every quote, in id order."""
        return self._span_texts("quotes")

    def counts(self) -> dict[str, int]:
        return {
            t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("articles", "passages", "quotes", "speakers")
        }


def _speaker(row: tuple) -> Speaker:
    """A Speaker from a ``speakers`` row (id, name, type, aliases, titles, articles, n_quotes, gender)."""
    i, n, t, a, ti, ar, nq, g = row
    return Speaker(name=n, type=t, aliases=json.loads(a), titles=json.loads(ti), articles=json.loads(ar),
                   n_quotes=nq, gender=g or "", id=i)
