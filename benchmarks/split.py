"""The one fixed split of the drug-name matching development set, by substance, into half A and half B.

Usage:  python benchmarks/split.py --summary [--json]
        python benchmarks/split.py --write OUTDIR        # OUTDIR/<track>/<A|B>/{left,right,truth,hard_negatives}.csv

As the set's README prescribes: every right name is a November 2024 BNF presentation name, so its BNF code is
looked up by (name, chapter) in the BNF Code Information CSV (names compared case-insensitively, whitespace
collapsed); its substance is the first 9 characters of the code (the chemical substance; for appliances, whose
codes have 11 characters, the block of codes). A left row takes the substance of its partner in truth.csv, else
the commonest substance among the right rows it is paired with in hard_negatives.csv (ties: the smallest code).
A right name missing from the reference takes the commonest substance of the right rows that share a left row
with it (through truth.csv or hard_negatives.csv). A left row with neither a partner nor a hard negative takes the
substance its name (normalised) has in the other tracks, so that a name seen in two tracks lies in one half;
any row still without a substance is a group of its own, keyed by its normalised name.

The half of a substance is a seeded hash: sha256 of ``harmonise-split-1:<substance>``, even -> A (the half to
develop on), odd -> B (held out). It depends on the substance code alone, so every track uses the same split and
nothing about the matcher can move a row from one half to the other. A true pair always lies in one half (the
left row takes its partner's substance); a hard negative is kept only when both of its rows are in the half.
The filtered copies keep the files' columns and row order, so ``../shared/bench/score.py`` scores them as is.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared beside the repository
DATA = SHARED / "data" / "matching-dev"
REFERENCE = SHARED / "reference" / "bnf-code-information-2024-11.csv"
TRACKS = ("T1-legacy-abbrev", "T2-dmd", "T3-brand", "T4-legacy-national", "T4-legacy-brands", "T4-appliances")
SEED = "harmonise-split-1"
HALVES = ("A", "B")
NAME_GROUP = "name:"  # prefix of the key of a row that has no substance

Reference = dict[tuple[str, str], str]


def normalise(name: str) -> str:
    """A name as looked up in the reference: whitespace collapsed, case folded."""
    return re.sub(r"\s+", " ", name).strip().casefold()


@cache
def half_of(substance: str) -> str:
    """The half of a substance (or group key): 'A' or 'B', from a seeded hash, 50/50."""
    digest = hashlib.sha256(f"{SEED}:{substance}".encode()).digest()
    return HALVES[digest[-1] & 1]


def commonest(substances: Iterable[str]) -> str | None:
    """The most frequent substance, ties broken by the smallest code; None when there is none."""
    counts = Counter(substances)
    if not counts:
        return None
    return min(counts, key=lambda s: (-counts[s], s))


def load_reference(path: Path = REFERENCE) -> Reference:
    """(normalised presentation name, chapter) -> substance (first 9 characters of the presentation code).

    A name listed under several codes of different substances takes the commonest (ties: the smallest).
    """
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["BNF Presentation Code"].strip()
            if len(code) >= 9:
                found[(normalise(row["BNF Presentation"]), code[:2])].append(code[:9])
    return {key: commonest(codes) or codes[0] for key, codes in found.items()}


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file, as lists of strings (columns and order kept)."""
    if not path.is_file():
        return [], []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return (rows[0], rows[1:]) if rows else ([], [])


def write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    """Write a CSV file with the given header."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@dataclass
class TrackSplit:
    """The substance (group key) and half of every row of one track, and how each was found."""

    track: str
    left: dict[str, str] = field(default_factory=dict)  # left id -> group key
    right: dict[str, str] = field(default_factory=dict)  # right id -> group key
    how: Counter[str] = field(default_factory=Counter)  # 'right:reference', 'left:truth', ...

    def left_half(self, left_id: str) -> str:
        """The half of a left row."""
        return half_of(self.left[left_id])

    def right_half(self, right_id: str) -> str:
        """The half of a right row."""
        return half_of(self.right[right_id])

    def pair_half(self, left_id: str, right_id: str) -> str | None:
        """The half of a pair, or None when its two rows lie in different halves."""
        half = self.left_half(left_id)
        return half if half == self.right_half(right_id) else None


def _pairs(track_dir: Path, name: str) -> list[tuple[str, str]]:
    """(left_id, right_id) pairs of truth.csv or hard_negatives.csv."""
    header, rows = read_csv(track_dir / name)
    if not header:
        return []
    i, j = header.index("left_id"), header.index("right_id")
    return [(r[i], r[j]) for r in rows if r]


def _names(track_dir: Path, side: str) -> dict[str, tuple[str, str]]:
    """id -> (normalised name, chapter) of left.csv or right.csv."""
    header, rows = read_csv(track_dir / f"{side}.csv")
    i, n, c = header.index("id"), header.index("name"), header.index("bnf_chapter")
    return {r[i]: (normalise(r[n]), r[c].strip().zfill(2)) for r in rows if r}


def _right_fallback(right_id: str, links: dict[str, set[str]], back: dict[str, set[str]], known: dict) -> str | None:
    """Substance of a right row missing from the reference: commonest among right rows sharing a left row."""
    neighbours = (other for left_id in back.get(right_id, ()) for other in links.get(left_id, ()))
    return commonest(known[other] for other in neighbours if other in known)


def assign(track_dir: Path, reference: Reference) -> TrackSplit:
    """Give every row of a track its substance (or own group) as the development set's README prescribes."""
    split = TrackSplit(track_dir.name)
    left, right = _names(track_dir, "left"), _names(track_dir, "right")
    truth, hard = _pairs(track_dir, "truth.csv"), _pairs(track_dir, "hard_negatives.csv")
    partner = dict(truth)
    links: dict[str, set[str]] = defaultdict(set)  # left id -> right ids (truth and hard negatives)
    back: dict[str, set[str]] = defaultdict(set)  # right id -> left ids
    for left_id, right_id in truth + hard:
        links[left_id].add(right_id)
        back[right_id].add(left_id)
    known = {rid: reference[key] for rid, key in right.items() if key in reference}
    for right_id, (name, _) in right.items():
        substance = known.get(right_id)
        how = "right:reference"
        if substance is None:
            substance = _right_fallback(right_id, links, back, known)
            how = "right:neighbours" if substance else "right:own group"
        split.right[right_id] = substance or NAME_GROUP + name
        split.how[how] += 1
    hard_links: dict[str, list[str]] = defaultdict(list)
    for left_id, right_id in hard:
        hard_links[left_id].append(split.right[right_id])
    for left_id, (name, _) in left.items():
        if left_id in partner:
            split.left[left_id], how = split.right[partner[left_id]], "left:truth"
        elif (substance := commonest(hard_links.get(left_id, ()))) is not None:
            split.left[left_id], how = substance, "left:hard negatives"
        else:
            split.left[left_id], how = NAME_GROUP + name, "left:own group"
        split.how[how] += 1
    return split


Keep = Callable[[list[str], list[str]], bool]


def assign_tracks(data: Path, reference: Reference, tracks: Iterable[str] = TRACKS) -> list[TrackSplit]:
    """Assign every track; a left row with neither a partner nor a hard negative takes the substance its name has
    in the other tracks (all tracks of ``data`` are consulted, whatever ``tracks`` selects), else its own group."""
    present = [t for t in TRACKS if (data / t).is_dir()]
    splits = {t: assign(data / t, reference) for t in dict.fromkeys([*present, *tracks])}
    names = {t: _names(data / t, "left") for t in splits}
    seen: dict[str, list[str]] = defaultdict(list)
    for track in present:
        for left_id, group in splits[track].left.items():
            if not group.startswith(NAME_GROUP):
                seen[names[track][left_id][0]].append(group)
    for track in tracks:
        split = splits[track]
        for left_id, group in split.left.items():
            substance = commonest(seen.get(names[track][left_id][0], ()))
            if group.startswith(NAME_GROUP) and substance is not None:
                split.left[left_id] = substance
                split.how["left:own group"] -= 1
                split.how["left:same name in another track"] += 1
    return [splits[t] for t in tracks]


def _filter_rows(track_dir: Path, name: str, keep: Keep) -> tuple[list[str], list[list[str]]]:
    """Header and the rows of one file for which keep(header, row) holds."""
    header, rows = read_csv(track_dir / name)
    return header, [r for r in rows if r and keep(header, r)]


def write_half(track_dir: Path, half: str, out_dir: Path, split: TrackSplit | None = None) -> dict[str, int]:
    """Write the rows of one half of a track to out_dir, in the track's own format; return the counts."""
    split = split or assign_tracks(track_dir.parent, load_reference(), [track_dir.name])[0]
    out_dir.mkdir(parents=True, exist_ok=True)

    def in_half_left(header: list[str], row: list[str]) -> bool:
        return split.left_half(row[header.index("id")]) == half

    def in_half_right(header: list[str], row: list[str]) -> bool:
        return split.right_half(row[header.index("id")]) == half

    def in_half_pair(header: list[str], row: list[str]) -> bool:
        return split.pair_half(row[header.index("left_id")], row[header.index("right_id")]) == half

    counts = {}
    for name, keep in (
        ("left.csv", in_half_left),
        ("right.csv", in_half_right),
        ("truth.csv", in_half_pair),
        ("hard_negatives.csv", in_half_pair),
    ):
        if (track_dir / name).is_file():
            header, rows = _filter_rows(track_dir, name, keep)
            write_csv(out_dir / name, header, rows)
            counts[name.removesuffix(".csv")] = len(rows)
    return counts


def summarise(split: TrackSplit, track_dir: Path) -> dict:
    """Per half: groups (substances), left rows, right rows, true pairs and hard negatives; and how rows were keyed."""
    truth = _pairs(track_dir, "truth.csv")
    hard = _pairs(track_dir, "hard_negatives.csv")
    out: dict = {"track": split.track, "how": dict(sorted(split.how.items()))}
    for half in HALVES:
        groups = {g for g in (*split.left.values(), *split.right.values()) if half_of(g) == half}
        out[half] = {
            "substances": len(groups),
            "left_rows": sum(half_of(g) == half for g in split.left.values()),
            "right_rows": sum(half_of(g) == half for g in split.right.values()),
            "true_pairs": sum(split.pair_half(a, b) == half for a, b in truth),
            "hard_negatives": sum(split.pair_half(a, b) == half for a, b in hard),
        }
    out["hard_negatives_across_halves"] = sum(split.pair_half(a, b) is None for a, b in hard)
    out["truth_pairs_across_halves"] = sum(split.pair_half(a, b) is None for a, b in truth)
    return out


def cross_track_check(splits: list[TrackSplit], data: Path) -> int:
    """How many left names (normalised) fall in different halves in different tracks (0 is the aim)."""
    halves: dict[str, set[str]] = defaultdict(set)
    for split in splits:
        names = _names(data / split.track, "left")
        for left_id, group in split.left.items():
            halves[names[left_id][0]].add(half_of(group))
    return sum(len(h) > 1 for h in halves.values())


def render(summaries: list[dict], disagreements: int) -> str:
    """The summary as a plain-text table."""
    lines = [
        f"{'track':<20} {'half':<4} {'substances':>10} {'left rows':>9} {'right rows':>10} {'true pairs':>10} "
        f"{'hard negs':>9}"
    ]
    for s in summaries:
        for half in HALVES:
            h = s[half]
            lines.append(
                f"{s['track']:<20} {half:<4} {h['substances']:>10} {h['left_rows']:>9} {h['right_rows']:>10} "
                f"{h['true_pairs']:>10} {h['hard_negatives']:>9}"
            )
    lines.append("")
    for s in summaries:
        how = ", ".join(f"{k} {v}" for k, v in s["how"].items())
        lines.append(f"{s['track']}: {how}; hard negatives across halves {s['hard_negatives_across_halves']}")
    lines.append(f"left names in different halves in different tracks: {disagreements}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: --summary and/or --write OUTDIR."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the matching-dev folder")
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="BNF Code Information CSV")
    parser.add_argument("--tracks", nargs="+", default=list(TRACKS), help="tracks to split (default: all)")
    parser.add_argument("--write", type=Path, metavar="OUTDIR", help="write OUTDIR/<track>/<A|B>/*.csv")
    parser.add_argument("--summary", action="store_true", help="print the size of each half")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if not (args.write or args.summary or args.json):
        parser.error("give --summary, --json and/or --write OUTDIR")
    reference = load_reference(args.reference)
    splits = assign_tracks(args.data, reference, args.tracks)
    if args.write:
        for split in splits:
            for half in HALVES:
                write_half(args.data / split.track, half, args.write / split.track / half, split)
    summaries = [summarise(split, args.data / split.track) for split in splits]
    disagreements = cross_track_check(splits, args.data)
    if args.json:
        print(json.dumps({"tracks": summaries, "left_names_in_two_halves": disagreements}, indent=1))
    elif args.summary:
        print(render(summaries, disagreements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
