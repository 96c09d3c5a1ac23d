"""Benchmark the matching engine against a naive fuzzy baseline on the drug-name matching dev tracks, per half.

Usage:  python benchmarks/match_tracks.py [DATA_DIR] [--tracks T ...] [--reference CSV] [--score SCORE_PY]
                                          [--harmonise EXE] [--timeout S] [--json [FILE]] [--keep DIR]
        python benchmarks/match_tracks.py --baseline-only LEFT RIGHT --out FILE      # the baseline, as one process

For each track (T1-legacy-abbrev, T2-dmd, T3-brand, T4-legacy-national, T4-legacy-brands, T4-appliances) it runs,
once each on the full track and as whole processes: (a) the engine without the BNF reference, (b) the engine with
it, and (c) the naive baseline (rapidfuzz ``process.extract`` with ``fuzz.token_sort_ratio`` and
``utils.default_process`` over every right name, best >= 90 auto, >= 60 candidate, top 3), this script run again
with ``--baseline-only``. The engine is ``harmonise match LEFT RIGHT --out FILE``: when its ``--help`` lists
``--no-reference`` (the reference is on by default), (a) passes ``--no-reference`` and (b) nothing; otherwise
(a) passes nothing and (b) ``--reference CSV`` (skipped when the CSV is missing).

Each matches file is scored by ``score.py --json`` three times: on half A and half B of the fixed split by
substance (``benchmarks/split.py``), and on the whole track. For a half, the matches file is restricted to pairs
whose two rows lie in the half, and candidates to those that were among the first 3 of their left row in the full
file (so that dropping a row of the other half cannot promote a candidate into the top 3). An automatic match
across the halves is always false; it counts only in 'all' and is reported separately. One table is printed, then
the whole-process wall seconds and the engine/baseline ratios. Track data is read from ../shared and never
copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
import split as splitting  # benchmarks/split.py: the fixed split by substance

SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared beside the repository
TRACKS = splitting.TRACKS
HALVES = (*splitting.HALVES, "all")
MATCHERS = ("engine", "engine+ref", "baseline")


# --- the baseline -------------------------------------------------------------------------------------------------


def read_names(path: Path) -> list[dict[str, str]]:
    """Rows (id, name, ...) of a left.csv or right.csv."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def baseline(left_csv: Path, right_csv: Path, out: Path) -> None:
    """The naive matcher: every left name against every right name, no drug knowledge."""
    left, right = read_names(left_csv), read_names(right_csv)
    choices = [utils.default_process(r["name"]) for r in right]  # processed once; same result as processor=
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "decision", "score", "rank"])
        for row in left:
            found = process.extract(utils.default_process(row["name"]), choices, scorer=fuzz.token_sort_ratio, limit=3)
            for rank, (_, score, index) in enumerate(found, start=1):
                if rank == 1 and score >= 90:
                    writer.writerow([row["id"], right[index]["id"], "auto", f"{score:.1f}", rank])
                elif score >= 60:
                    writer.writerow([row["id"], right[index]["id"], "candidate", f"{score:.1f}", rank])


# --- running the matchers -----------------------------------------------------------------------------------------


@dataclass
class Run:
    """One matcher run on one full track, and its scores per half."""

    track: str
    matcher: str
    command: list[str]
    seconds: float | None = None
    error: str | None = None
    cross_half_autos: int = 0
    scores: dict[str, dict] = field(default_factory=dict)


@cache
def has_no_reference_flag(harmonise: str) -> bool:
    """Whether ``harmonise match --help`` lists ``--no-reference`` (the reference then being on by default)."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([harmonise, "match", "--help"], capture_output=True, text=True, env=env, check=False)
    return "--no-reference" in done.stdout + done.stderr


def commands(harmonise: str, reference: Path, track: Path, out_dir: Path) -> dict[str, list[str]]:
    """The command line of each matcher on a track (without the output file, which is appended)."""
    left, right = str(track / "left.csv"), str(track / "right.csv")
    engine = [harmonise, "match", left, right]
    runs = {}
    if has_no_reference_flag(harmonise):
        runs["engine"], runs["engine+ref"] = [*engine, "--no-reference"], engine
    else:
        runs["engine"] = engine
        if reference.is_file():
            runs["engine+ref"] = [*engine, "--reference", str(reference)]
    runs["baseline"] = [sys.executable, str(Path(__file__).resolve()), "--baseline-only", left, right]
    return {m: [*c, "--out", str(out_dir / f"{track.name}-{m}.csv")] for m, c in runs.items()}


def run_timed(command: list[str], timeout: float) -> tuple[float | None, str | None]:
    """Run a whole process; its wall seconds, or an error message."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or [""]
        return seconds, f"exit {done.returncode}: {lines[-1].strip()[:300]}"
    return seconds, None


# --- scoring per half ---------------------------------------------------------------------------------------------


def read_matches(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a matches file."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def first_three(rows: list[dict[str, str]]) -> set[int]:
    """Indexes of the candidate rows among the first 3 of their left id, ordered as score.py orders them."""
    by_left: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row["decision"].strip().lower() == "candidate":
            by_left[row["left_id"]].append(i)

    def order(i: int) -> tuple[float, float, int]:
        rank = rows[i].get("rank") or ""
        return (int(rank) if rank.strip() else float("inf"), -float(rows[i]["score"]), i)

    return {i for indexes in by_left.values() for i in sorted(indexes, key=order)[:3]}


def restrict(matches: Path, split: splitting.TrackSplit, half: str, out: Path) -> None:
    """Write the pairs of a matches file whose two rows lie in one half (candidates: only the full file's top 3)."""
    header, rows = read_matches(matches)
    keep = first_three(rows)
    columns = [c for c in ("left_id", "right_id", "decision", "score", "rank") if c in header]
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for i, row in enumerate(rows):
            auto = row["decision"].strip().lower() == "auto"
            if split.pair_half(row["left_id"], row["right_id"]) == half and (auto or i in keep):
                writer.writerow([row[c] for c in columns])


def cross_half_autos(matches: Path, split: splitting.TrackSplit) -> int:
    """Automatic matches whose two rows lie in different halves (always false)."""
    _, rows = read_matches(matches)
    autos = (r for r in rows if r["decision"].strip().lower() == "auto")
    return sum(split.pair_half(r["left_id"], r["right_id"]) is None for r in autos)


def score(score_py: Path, track: Path, matches: Path) -> dict:
    """score.py --json of a matches file on a track folder."""
    command = [sys.executable, str(score_py), str(track), str(matches), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def score_halves(run: Run, matches: Path, split: splitting.TrackSplit, dirs: dict[str, Path], score_py: Path) -> None:
    """Score one matches file on half A, half B and the whole track."""
    run.cross_half_autos = cross_half_autos(matches, split)
    for half in HALVES:
        target = matches
        if half != "all":
            target = matches.with_name(f"{matches.stem}-{half}.csv")
            restrict(matches, split, half, target)
        run.scores[half] = score(score_py, dirs[half], target)


# --- one track ----------------------------------------------------------------------------------------------------


def bench_track(track: Path, split: splitting.TrackSplit, args: argparse.Namespace, tmp: Path) -> list[Run]:
    """Split the track, run every matcher once on the full track and score each on A, B and all."""
    dirs = {"all": track}
    for half in splitting.HALVES:
        dirs[half] = tmp / "split" / track.name / half
        splitting.write_half(track, half, dirs[half], split)
    runs = []
    for matcher, command in commands(args.harmonise, args.reference, track, tmp).items():
        run = Run(track.name, matcher, command)
        print(f"  running {track.name} {matcher} ...", file=sys.stderr, flush=True)
        run.seconds, run.error = run_timed(command, args.timeout)
        if run.error is None:
            score_halves(run, Path(command[-1]), split, dirs, args.score)
        runs.append(run)
    return runs


# --- output -------------------------------------------------------------------------------------------------------


def pct(value: float | None, digits: int = 1) -> str:
    """A ratio as a percentage."""
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def table(runs: list[Run]) -> str:
    """The printed table: one line per track, half and matcher."""
    head = (
        f"{'track':<19} {'half':<4} {'matcher':<10} {'autos':>6} {'false':>6} {'precision':>9} {'auto rec':>8} "
        f"{'cand@3':>7} {'1-sided':>7} {'seconds':>8}"
    )
    lines = [head, "-" * len(head)]
    tracks = list(dict.fromkeys(r.track for r in runs))
    for track in tracks:
        for half in HALVES:
            for run in (r for r in runs if r.track == track):
                lines.append(row(run, half))
        lines.append("")
    return "\n".join(lines).rstrip()


def row(run: Run, half: str) -> str:
    """One line of the table."""
    start = f"{run.track:<19} {half:<4} {run.matcher:<10}"
    seconds = "-" if run.seconds is None else f"{run.seconds:.2f}"
    if run.error:
        return f"{start} FAILED after {seconds} s: {run.error[:90]}"
    s = run.scores[half]
    one_sided = s["left_only_auto_matched"] + s["right_only_auto_matched"]
    return (
        f"{start} {s['auto_pairs']:>6} {s['false_auto']:>6} {pct(s['auto_precision'], 2):>9} "
        f"{pct(s['auto_recall']):>8} {pct(s['candidate_recall_at_3']):>7} {one_sided:>7} {seconds:>8}"
    )


def ratios(runs: list[Run]) -> dict[str, dict[str, float | None]]:
    """Whole-process wall seconds per track and matcher, and engine/baseline ratios."""
    out: dict[str, dict[str, float | None]] = {}
    for track in dict.fromkeys(r.track for r in runs):
        seconds = {r.matcher: r.seconds for r in runs if r.track == track and r.error is None}
        base = seconds.get("baseline")
        out[track] = dict(seconds)
        for matcher in ("engine", "engine+ref"):
            value = seconds.get(matcher)
            out[track][f"{matcher}/baseline"] = round(value / base, 2) if value and base else None
    return out


def timing(runs: list[Run]) -> str:
    """The wall-time block printed after the table."""
    lines = ["whole-process wall seconds (full track) and ratio to the baseline:"]
    for track, t in ratios(runs).items():
        parts = [f"{m} {t[m]:.2f} s" for m in MATCHERS if t.get(m) is not None]
        parts += [f"{k} {t[k]:.2f}x" for k in ("engine/baseline", "engine+ref/baseline") if t.get(k) is not None]
        lines.append(f"  {track:<19} " + ", ".join(parts))
    crossing = [f"{r.track} {r.matcher} {r.cross_half_autos}" for r in runs if r.cross_half_autos]
    lines.append("autos across halves (false; in 'all' only): " + (", ".join(crossing) or "none"))
    return "\n".join(lines)


def dump(runs: list[Run], summaries: list[dict], args: argparse.Namespace) -> dict:
    """Everything, for --json."""
    return {
        "data": str(args.data),
        "reference": str(args.reference),
        "no_reference_flag": has_no_reference_flag(args.harmonise),
        "split": summaries,
        "timing": ratios(runs),
        "runs": [run.__dict__ for run in runs],
    }


# --- command line -------------------------------------------------------------------------------------------------


def baseline_main(argv: list[str]) -> int:
    """``--baseline-only LEFT RIGHT --out FILE``: the baseline as a whole process."""
    parser = argparse.ArgumentParser(prog="match_tracks.py --baseline-only")
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    baseline(args.left, args.right, args.out)
    return 0


def default_harmonise() -> str:
    """The harmonise executable next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "harmonise"
    return str(beside) if beside.is_file() else (shutil.which("harmonise") or "harmonise")


def parse(argv: list[str]) -> argparse.Namespace:
    """Options of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=SHARED / "data" / "matching-dev")
    parser.add_argument("--tracks", nargs="+", default=list(TRACKS), choices=TRACKS, metavar="TRACK")
    parser.add_argument("--reference", type=Path, default=splitting.REFERENCE)
    parser.add_argument("--score", type=Path, default=SHARED / "bench" / "score.py")
    parser.add_argument("--harmonise", default=default_harmonise(), help="the harmonise executable")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed to one matcher run")
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE", help="dump everything as JSON (- = stdout)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the matches files and half folders in DIR")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (or the JSON)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--baseline-only"]:
        return baseline_main(argv[1:])
    args = parse(argv)
    reference = splitting.load_reference(args.reference)
    splits = splitting.assign_tracks(args.data, reference, args.tracks)
    summaries = [splitting.summarise(s, args.data / s.track) for s in splits]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for split in splits:
            runs += bench_track(args.data / split.track, split, args, work)
    if args.json != "-":
        print(table(runs))
        print()
        print(timing(runs))
    if args.json:
        text = json.dumps(dump(runs, summaries, args), indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
