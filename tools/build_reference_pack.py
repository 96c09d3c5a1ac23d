"""Derive the reference pack that ships inside harmonise from an NHSBSA "BNF Code Information" release.

Usage:  python tools/build_reference_pack.py RELEASE_CSV [--release YYYY-MM] [--out FILE]

Writes ``harmonise/matching/reference/bnf-code-information-<release>.json.gz`` (the matcher's columns only:
presentation codes and names, chemical substance and product names; gzip, deterministic) and removes any older
shipped pack, so the package holds one release. Contains public sector information licensed under the Open
Government Licence v3.0. A workspace that wants a newer release than the shipped one runs
``harmonise reference build FILE`` instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harmonise.matching import ATTRIBUTION, pack_payload, read_release, release_of
from harmonise.matching.reference import PACK_SUFFIX, SHIPPED_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release_csv", type=Path)
    parser.add_argument("--release", help="YYYY-MM (default: read from the file name)")
    parser.add_argument("--out", type=Path, help="where to write the pack (default: the package's reference folder)")
    args = parser.parse_args(argv)
    release = release_of(args.release_csv, args.release)
    payload = pack_payload(read_release(args.release_csv), release)
    target = args.out or SHIPPED_DIR / f"bnf-code-information-{release}{PACK_SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if args.out is None:
        for old in SHIPPED_DIR.glob(f"*{PACK_SUFFIX}"):
            if old != target:
                old.unlink()
    target.write_bytes(payload)
    print(f"wrote {target} ({len(payload):,} bytes, release {release}). {ATTRIBUTION}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
