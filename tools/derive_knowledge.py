"""Derive the knowledge that comes from the national list, not from hand-written lists.

Usage:  python tools/derive_knowledge.py [PACK]

Reads the shipped BNF reference pack (or PACK) and writes ``harmonise/matching/knowledge/derived.yaml``: for
each flag, the forms on which two presentations of one product differ only by that flag (see
``harmonise.matching.derived``). Run it after ``tools/build_reference_pack.py``; a test fails while the shipped
file and the shipped pack disagree.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harmonise.matching.derived import derive, derived_text
from harmonise.matching.knowledge import SHIPPED_DIR, load_knowledge
from harmonise.matching.reference import read_pack, shipped_pack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", nargs="?", type=Path, help="a reference pack (default: the shipped one)")
    args = parser.parse_args(argv)
    pack = args.pack or shipped_pack()
    if pack is None:
        parser.error("no reference pack is shipped; build one with tools/build_reference_pack.py")
    release, rows, _ = read_pack(pack)
    target = SHIPPED_DIR / "derived.yaml"
    target.write_text(derived_text(derive(rows, load_knowledge())), encoding="utf-8")
    print(f"wrote {target} from {pack.name} (release {release})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
