"""How large a sample web the generator builds, and how fast: `python benchmarks/sample_web_scale.py [counties] [docs]`.

Builds every county's model in memory (nothing is written) and prints documents built and seconds taken.
"""
from __future__ import annotations

import sys
import time

from gongkai.sampleweb.county import build_county


def main() -> None:
    counties = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    docs = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    started = time.perf_counter()
    built = sum(sum(1 for _ in build_county(i, docs_per_county=docs).all_docs()) for i in range(counties))
    print(f"{counties} counties × ~{docs} documents: {built} documents built in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
