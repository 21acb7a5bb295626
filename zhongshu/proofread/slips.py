"""W3 input-method slips: the statistics behind the rule, as plain data and pure functions (no Django).

A pinyin input method offers every word spelt the same way; picking the wrong one leaves a real word in the
text (组织实施 typed as 阻止实施, 公示 as 公式). Such a word is found by its neighbours: in published
government texts 阻止 is never followed by 实施 while 组织 is, often. The statistics are:

- `words`: the lexicon, word → toneless pinyin key ("zu zhi"); words with the same key are each other's
  candidates (阻止/组织, 公示/公式/攻势);
- `counts`: how often each word occurs in the corpus;
- `left` / `right`: for each word, how often each two-character neighbour (the "neighbouring word") stands
  immediately before / after it.

The base table (`data/slips_base.json.gz`) was built from published laws (not covered by copyright,
著作权法第五条) with `bench/proofread/build_slips_table.py`; see `data/SOURCES.md`. An installation adds
the statistics of its own approved documents: `build_stats(texts)` counts the same things in any texts,
`dumps`/`save` write them in the format below, and `Profile(extra_stats=…)` merges them with the base
table at check time (the merged model is built once per version and kept).

File format (UTF-8 JSON, gzip-compressed when the name ends in .gz):

    {"format": "zhongshu.proofread.slips/1", "source": "…", "documents": 12, "characters": 34567,
     "words": {"组织": "zu zhi", "阻止": "zu zhi"},
     "counts": {"组织": 812, "阻止": 40},
     "left": {"组织": "认真12 具体3"}, "right": {"组织": "实施56"}}

`left`/`right` give, per word, its neighbours and their counts as "neighbour count" items separated by
spaces (compact, and decoded only for the words a check looks at). A table may carry "compiled": the
suspicious neighbours precomputed by `compile_suspects` for exactly this content (the shipped table does,
so that a fresh process needs no model building); merged tables compute them anew.

Everything is loaded lazily, on the first check that needs it, and once per process.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

FORMAT = "zhongshu.proofread.slips/1"
BASE = Path(__file__).resolve().parent / "data" / "slips_base.json.gz"
WORD_LENGTH = 2  # the rule looks at two-character words (most slips; longer words contain them)
CONTEXT = 2  # characters on each side that make the "neighbouring word"

_HAN_RUN = re.compile("[\u4e00-\u9fff]{2,}")

# The decision, tuned on bench/proofread/cases (see docs/proofread.md): a candidate must be seen at least
# MIN_EVIDENCE times next to these neighbours, and at least RATIO times as often as the written word.
MIN_EVIDENCE = 3
RATIO = 10
# A word that is common in the corpus is rarely a slip: it needs one more sighting of the candidate per
# COMMON_SCALE occurrences of its own (统一使用 is not 同意使用 although laws say 同意使用 3 times).
COMMON_SCALE = 50
# Pairs whose choice is a matter of meaning, both forms being standard words in the same places: the
# hand-written collocations of W2 decide them, not statistics (行使权力 and 行使权利 are both right).
MEANING_PAIRS = frozenset(
    frozenset(pair)
    for pair in (
        ("权利", "权力"),
        ("法制", "法治"),
        ("制定", "制订"),
        ("做出", "作出"),
        ("实验", "试验"),
        ("其他", "其它"),
        ("截止", "截至"),
        ("必须", "必需"),
        ("以至", "以致"),
        ("启用", "起用"),
        ("度过", "渡过"),
        ("考察", "考查"),
        ("形势", "形式"),
        ("期间", "其间"),
        ("反映", "反应"),
    )
)


class Neighbours(Mapping[str, dict[str, int]]):
    """word → {neighbour: count}, decoded from the compact "neighbour count …" strings on first access."""

    def __init__(self, encoded: Mapping[str, str] | None = None) -> None:
        self._encoded: dict[str, str] = dict(encoded or {})
        self._decoded: dict[str, dict[str, int]] = {}

    @classmethod
    def of(cls, table: Mapping[str, Mapping[str, int]]) -> Neighbours:
        result = cls()
        result._decoded = {word: dict(items) for word, items in table.items() if items}
        return result

    def __getitem__(self, word: str) -> dict[str, int]:
        found = self._decoded.get(word)
        if found is None:
            encoded = self._encoded[word]  # KeyError for unknown words, as a Mapping should
            found = self._decoded[word] = {item[:CONTEXT]: int(item[CONTEXT:]) for item in encoded.split()}
        return found

    def get_counts(self, word: str) -> dict[str, int]:
        try:
            return self[word]
        except KeyError:
            return _EMPTY

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded.keys() | self._encoded.keys())

    def __len__(self) -> int:
        return len(self._decoded.keys() | self._encoded.keys())

    def encoded(self) -> dict[str, str]:
        result = dict(self._encoded)
        for word, items in self._decoded.items():
            result[word] = " ".join(f"{ctx}{n}" for ctx, n in sorted(items.items()))
        return result


_EMPTY: dict[str, int] = {}


@dataclass
class Stats:
    """Word counts and two-character neighbours of a corpus, for the words of a lexicon."""

    words: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    left: Neighbours = field(default_factory=Neighbours)
    right: Neighbours = field(default_factory=Neighbours)
    documents: int = 0
    characters: int = 0
    source: str = ""
    compiled: dict[str, str] | None = None  # suspicious neighbours for exactly this content, if known

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "source": self.source,
            "documents": self.documents,
            "characters": self.characters,
            "words": self.words,
            "counts": self.counts,
            "left": self.left.encoded(),
            "right": self.right.encoded(),
        }
        if self.compiled is not None:
            data["compiled"] = self.compiled
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Stats:
        if data.get("format") != FORMAT:
            raise ValueError(f"同音误字统计表格式不符：应为 {FORMAT}，实为 {data.get('format')!r}")
        compiled = data.get("compiled")
        return cls(
            words={str(k): str(v) for k, v in data.get("words", {}).items()},
            counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
            left=Neighbours(data.get("left", {})),
            right=Neighbours(data.get("right", {})),
            documents=int(data.get("documents", 0)),
            characters=int(data.get("characters", 0)),
            source=str(data.get("source", "")),
            compiled=dict(compiled) if isinstance(compiled, dict) else None,
        )

    @cached_property
    def digest(self) -> str:
        """A short hash of the content: the version under which a merged model is cached."""
        return hashlib.sha1(dumps(self, compress=False)).hexdigest()[:16]  # noqa: S324 — a cache key


def dumps(stats: Stats, *, compress: bool = True) -> bytes:
    raw = json.dumps(stats.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return gzip.compress(raw, mtime=0) if compress else raw


def loads(data: bytes) -> Stats:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return Stats.from_json(json.loads(data.decode("utf-8")))


def save(stats: Stats, path: str | Path) -> None:
    path = Path(path)
    path.write_bytes(dumps(stats, compress=path.suffix == ".gz"))


def load(path: str | Path) -> Stats:
    return loads(Path(path).read_bytes())


@cache
def base_stats() -> Stats:
    """The shipped base table, read on first use (about 0.2 s) and kept for the life of the process."""
    return load(BASE)


def pinyin_key(word: str) -> str:
    """Toneless pinyin of a word, syllables separated by spaces ("组织" → "zu zhi"). Needs pypinyin; only
    building statistics calls it, never a check."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


def build_stats(
    texts: Iterable[str],
    *,
    lexicon: Mapping[str, str] | None = None,
    extra_words: Iterable[str] = (),
    source: str = "",
    min_context: int = 1,
) -> Stats:
    """Count the lexicon's words and their two-character neighbours in `texts` (e.g. the installation's
    approved documents). `lexicon` defaults to the base table's words; `extra_words` (the installation's
    own terms, such as 河长制 or a programme's name) are added with their pinyin. Neighbours seen fewer than
    `min_context` times are dropped (the base table uses 2 to stay small)."""
    words: dict[str, str] = dict(lexicon if lexicon is not None else base_stats().words)
    for word in extra_words:
        if len(word) == WORD_LENGTH and _HAN_RUN.fullmatch(word) and word not in words:
            words[word] = pinyin_key(word)
    counts: Counter[str] = Counter()
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    documents = characters = 0
    for text in texts:
        documents += 1
        characters += len(text)
        for run_match in _HAN_RUN.finditer(text):
            run = run_match.group()
            for index in range(len(run) - WORD_LENGTH + 1):
                word = run[index : index + WORD_LENGTH]
                if word not in words:
                    continue
                counts[word] += 1
                if index >= CONTEXT:
                    left[word][run[index - CONTEXT : index]] += 1
                after = index + WORD_LENGTH
                if after + CONTEXT <= len(run):
                    right[word][run[after : after + CONTEXT]] += 1
    added = set(extra_words)
    return Stats(
        # The lexicon is in the base table already: keep the words seen here and the installation's own.
        words=words if lexicon is not None else {w: k for w, k in words.items() if w in counts or w in added},
        counts=dict(counts),
        left=Neighbours.of(_pruned(left, min_context)),
        right=Neighbours.of(_pruned(right, min_context)),
        documents=documents,
        characters=characters,
        source=source,
    )


def _pruned(table: Mapping[str, Counter[str]], minimum: int) -> dict[str, dict[str, int]]:
    result = {}
    for word, neighbours in table.items():
        kept = {ctx: n for ctx, n in neighbours.items() if n >= minimum}
        if kept:
            result[word] = kept
    return result


def merge(*parts: Stats) -> Stats:
    """One table with the words of all parts and the sums of their counts."""
    words: dict[str, str] = {}
    counts: Counter[str] = Counter()
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for part in parts:
        for word, key in part.words.items():
            words.setdefault(word, key)
        counts.update(part.counts)
        for mine, theirs in ((left, part.left), (right, part.right)):
            for word in theirs:
                mine[word].update(theirs[word])
    return Stats(
        words=words,
        counts=dict(counts),
        left=Neighbours.of(left),
        right=Neighbours.of(right),
        documents=sum(p.documents for p in parts),
        characters=sum(p.characters for p in parts),
        source=" + ".join(p.source for p in parts if p.source),
    )


def compile_suspects(stats: Stats) -> dict[str, str]:
    """The four-character strings where a word is suspicious: "neighbour+word" (left) and "word+neighbour"
    (right) where another member of the word's same-pinyin group is well attested (at least MIN_EVIDENCE
    times, more for a common word) and the word itself RATIO times less or never; one a line."""
    groups: dict[str, list[str]] = defaultdict(list)
    for word, key in stats.words.items():
        groups[key].append(word)
    result = {}
    for name, side in (("left", stats.left), ("right", stats.right)):
        suspects: set[str] = set()
        for members in groups.values():
            if len(members) < 2:
                continue
            by_context: dict[str, dict[str, int]] = defaultdict(dict)
            for word in members:
                for ctx, n in side.get_counts(word).items():
                    by_context[ctx][word] = n
            for ctx, seen in by_context.items():
                for word in members:
                    own = seen.get(word, 0)
                    required = max(MIN_EVIDENCE, stats.counts.get(word, 0) // COMMON_SCALE, RATIO * own)
                    if any(
                        n >= required and frozenset((word, other)) not in MEANING_PAIRS
                        for other, n in seen.items()
                        if other != word
                    ):
                        suspects.add(ctx + word if name == "left" else word + ctx)
        result[name] = "\n".join(sorted(suspects))
    return result


# The model: candidates and the quick scan -------------------------------------------------------------


@dataclass(frozen=True)
class Slip:
    """A word at text[start:end] that reads far better as `suggestion` next to these neighbours."""

    start: int
    end: int
    word: str
    suggestion: str
    before: str  # the two characters before (empty when not Chinese)
    after: str
    support: int  # how often the suggestion stands next to these neighbours in the statistics
    against: int  # how often the written word does
    detail: tuple[tuple[str, int, int], ...]  # (neighbour shown as "X_" or "_X", suggestion's n, word's n)


class SlipModel:
    """The statistics compiled for checking: same-pinyin groups, and the four-character strings (neighbour
    and word) where another member of the word's group is far better supported (阻止实施: 组织实施 251
    times, 阻止实施 never). A check costs one set lookup per character; the full comparison of `judge`
    runs only where such a string occurs."""

    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        groups: dict[str, list[str]] = defaultdict(list)
        for word, key in stats.words.items():
            groups[key].append(word)
        self.key_of: dict[str, str] = {}
        self.candidates: dict[str, tuple[str, ...]] = {}
        for key, members in groups.items():
            if len(members) < 2:
                continue
            for word in members:
                self.key_of[word] = key
                self.candidates[word] = tuple(
                    other for other in members if other != word and frozenset((word, other)) not in MEANING_PAIRS
                )
        compiled = stats.compiled or compile_suspects(stats)
        self.suspect_left = frozenset(compiled["left"].split("\n"))
        self.suspect_right = frozenset(compiled["right"].split("\n"))

    def find(self, text: str) -> list[Slip]:
        """Slips in the text. The distinct four-character strings of the text are intersected with the
        suspect sets (one set operation in C); only the places of the strings found are judged."""
        span = CONTEXT + WORD_LENGTH
        grams = {text[index : index + span] for index in range(len(text) - span + 1)}
        positions: set[int] = set()
        for found, offset in ((grams & self.suspect_left, CONTEXT), (grams & self.suspect_right, 0)):
            for gram in found:
                at = text.find(gram)
                while at >= 0:
                    positions.add(at + offset)
                    at = text.find(gram, at + 1)
        slips = []
        taken = -1
        for start in sorted(positions):
            if start < taken:
                continue
            slip = self.judge(text, start, text[start : start + WORD_LENGTH])
            if slip is not None:
                slips.append(slip)
                taken = slip.end
        return slips

    def judge(self, text: str, start: int, word: str) -> Slip | None:
        """Compare the written word with each same-pinyin candidate next to both neighbours."""
        end = start + WORD_LENGTH
        before = text[max(0, start - CONTEXT) : start]
        after = text[end : end + CONTEXT]
        before = before if len(before) == CONTEXT and _HAN_RUN.fullmatch(before) else ""
        after = after if len(after) == CONTEXT and _HAN_RUN.fullmatch(after) else ""
        left, right = self.stats.left, self.stats.right
        own_left = left.get_counts(word).get(before, 0) if before else 0
        own_right = right.get_counts(word).get(after, 0) if after else 0
        against = own_left + own_right
        required = max(MIN_EVIDENCE, self.stats.counts.get(word, 0) // COMMON_SCALE)
        best: Slip | None = None
        for other in self.candidates.get(word, ()):
            n_left = left.get_counts(other).get(before, 0) if before else 0
            n_right = right.get_counts(other).get(after, 0) if after else 0
            support = n_left + n_right
            if support < required or support < RATIO * against:
                continue
            # A neighbour that is at home with the written word and never seen with the candidate speaks
            # against the slip (重要人物出席: 出席 follows 人物, not 任务).
            if (own_left and not n_left) or (own_right and not n_right):
                continue
            if best is None or support > best.support:
                detail = []
                if before:
                    detail.append((before + "_", n_left, own_left))
                if after:
                    detail.append(("_" + after, n_right, own_right))
                best = Slip(start, end, word, other, before, after, support, against, tuple(detail))
        return best


_MODELS: dict[object, SlipModel] = {}


@cache
def _stats_file(path: Path, mtime_ns: int) -> Stats:
    return load(path)


def model_for(extra: object = None) -> SlipModel:
    """The model of the base table merged with an installation's statistics (a Stats, a path to a stats
    file, or None), built once per version of the statistics (file path and modification time, or the
    content hash of a Stats object)."""
    extra_stats: Stats | None
    if extra is None:
        key: object = "base"
        extra_stats = None
    elif isinstance(extra, str | Path):
        path = Path(extra).resolve()
        extra_stats = _stats_file(path, path.stat().st_mtime_ns)
        key = ("file", str(path), path.stat().st_mtime_ns)
    elif isinstance(extra, Stats):
        extra_stats = extra
        key = ("stats", extra.digest)
    else:
        raise TypeError(f"同音误字统计表的类型无法识别：{type(extra).__name__}（应为文件路径或 Stats）")
    model = _MODELS.get(key)
    if model is None:
        stats = base_stats() if extra_stats is None else merge(base_stats(), extra_stats)
        if len(_MODELS) > 8:
            _MODELS.clear()
        model = _MODELS[key] = SlipModel(stats)
    return model
