"""Benchmark the matching engine against a naive fuzzy baseline on the drug-name matching dev tracks.

Usage:  python benchmarks/match_tracks.py [DATA_DIR] [--reference CSV] [--score SCORE_PY]

For each track (T1-legacy-abbrev, T2-dmd, T3-brand, and T3-brand again with the BNF reference) it runs, in
the same process on the same files, (a) the engine through ``harmonise.match_io.match_files`` (the call
``harmonise match`` makes) and (b) a naive baseline: rapidfuzz ``process.extract`` with
``fuzz.token_sort_ratio`` and ``utils.default_process`` over every right name, best >= 90 auto, >= 60
candidate, top 3. Both are scored by the track's ``score.py --json``; one table is printed with the figures
and wall seconds of both. Track data is read from /work/shared, never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from harmonise import knowledge as knowledge_module
from harmonise.match_io import match_files

SHARED = Path("/work/shared")
TRACKS = ("T1-legacy-abbrev", "T2-dmd", "T3-brand")


def baseline(track: Path, out: Path) -> None:
    """The naive matcher: every left name against every right name, no drug knowledge."""
    with open(track / "left.csv", encoding="utf-8") as lf, open(track / "right.csv", encoding="utf-8") as rf:
        left, right = list(csv.DictReader(lf)), list(csv.DictReader(rf))
    choices = [r["name"] for r in right]
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "decision", "score", "rank"])
        for row in left:
            found = process.extract(
                row["name"], choices, scorer=fuzz.token_sort_ratio, processor=utils.default_process, limit=3
            )
            for rank, (_, score, index) in enumerate(found, start=1):
                if rank == 1 and score >= 90:
                    writer.writerow([row["id"], right[index]["id"], "auto", f"{score:.1f}", rank])
                elif score >= 60:
                    writer.writerow([row["id"], right[index]["id"], "candidate", f"{score:.1f}", rank])


def engine(track: Path, out: Path, reference: Path | None) -> None:
    knowledge_module._load.cache_clear()  # time a cold start: knowledge loaded and names parsed afresh
    match_files(track / "left.csv", track / "right.csv", out, reference)


def score(score_py: Path, track: Path, matches: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(score_py), str(track), str(matches), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=SHARED / "data" / "matching-dev")
    parser.add_argument("--reference", type=Path, default=SHARED / "reference" / "bnf-code-information-2024-11.csv")
    parser.add_argument("--score", type=Path, default=SHARED / "bench" / "score.py")
    args = parser.parse_args()
    runs = [(t, None) for t in TRACKS]
    if args.reference.is_file():
        runs.append(("T3-brand", args.reference))
    header = (
        f"{'track':<22} {'matcher':<9} {'autos':>6} {'false':>6} {'precision':>9} {'auto rec':>9} "
        f"{'cand@3':>7} {'1-sided':>7} {'seconds':>8}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for name, reference in runs:
            track = args.data / name
            label = name + (" +reference" if reference else "")
            results = []
            for matcher in ("engine", "baseline"):
                out = Path(tmp) / f"{name}-{matcher}.csv"
                if matcher == "engine":
                    seconds = timed(lambda t=track, o=out, r=reference: engine(t, o, r))
                else:
                    seconds = timed(lambda t=track, o=out: baseline(t, o))
                results.append((matcher, score(args.score, track, out), seconds))
            for matcher, s, seconds in results:
                one_sided = s["left_only_auto_matched"] + s["right_only_auto_matched"]
                print(
                    f"{label:<22} {matcher:<9} {s['auto_pairs']:>6} {s['false_auto']:>6} "
                    f"{pct(s['auto_precision']):>9} {pct(s['auto_recall']):>9} "
                    f"{pct(s['candidate_recall_at_3']):>7} {one_sided:>7} {seconds:>8.2f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
