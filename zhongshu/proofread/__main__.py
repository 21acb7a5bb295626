"""`python -m zhongshu.proofread FILE…` — the checker's command without the `zhongshu` console script."""

import sys

from .cli import main

sys.exit(main(prog="python -m zhongshu.proofread"))
