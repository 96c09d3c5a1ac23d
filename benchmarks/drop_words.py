"""Safety check: current names with a word dropped, as older or shorter names leave it out.

    python benchmarks/drop_words.py [--words containers|qualifiers|routes|W1,W2,...] [--sample N] [--seed S]
                                    [--no-reference] [--show N]

Each generic presentation of the shipped pack whose name holds one of the words (``ampoules``, ``vials``,
``sugar free``, ``modified-release``...) is written without them and matched against every other generic
presentation of its chemical substance, its own product (its generic BNF code) left out. The name without the
word is still a name of that product and of no other, so an automatic join is a false automatic match by
construction; a name that, without the word, is the name of another current presentation is skipped (it names
that one). This is how ``Sod Chlor_I/V Inf 0.9% 50ml`` came to be joined to the 50ml ampoules when its truth
was the 50ml bags. The names are the national list's, in neither development set, so the output may be read in
full. Prints the names probed, the false automatic joins with their evidence, and the time taken.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import defaultdict

from self_match import shipped_reference

from harmonise.matching import Named, match_names
from harmonise.matching.parse import normalise
from harmonise.matching.reference import generic_code

WORDS = {
    "containers": (
        "ampoules,vials,bags,bottles,cartridges,pre-filled syringes,pfs,pre-filled pens,pf dispos dev,sachets,"
        "pre-filled disposable devices,unit dose"
    ),
    "qualifiers": (
        "sugar free,sugar-free,preservative free,CFC free,paediatric,gastro-resistant,modified-release,"
        "prolonged-release,dispersible,chewable,effervescent,orodispersible"
    ),
    # how an injection is given: a name without it must not be joined to the product of another route
    "routes": "IV,I.V.,I.V,Intravenous,IM,Intramuscular,Subcutaneous,Intrathecal,Intradermal,Intra-articular",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--words", default="containers", help="containers, qualifiers, routes, or words separated by commas"
    )
    parser.add_argument("--sample", type=int, default=0, help="probe this many names, drawn at random (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-reference", action="store_true", help="match without the national list")
    parser.add_argument("--show", type=int, default=50, help="false joins to print (default 50)")
    args = parser.parse_args()
    reference = shipped_reference()
    words = WORDS.get(args.words, args.words).split(",")
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, name in reference.names.items():
        if code[9:11] == "AA":  # generic presentations only
            groups[code[:9]].append((code, name))
    items = sorted((c, n) for g in groups.values() for c, n in g if pattern.search(n))
    if args.sample:
        random.Random(args.seed).shuffle(items)
        items = items[: args.sample]
    probed, false = 0, []
    start = time.perf_counter()
    for code, name in items:
        dropped = " ".join(pattern.sub(" ", name).split())
        others = [(c, n) for c, n in groups[code[:9]] if generic_code(c) != generic_code(code)]
        if not others or reference.code_for(dropped):
            continue
        probed += 1
        pairs = match_names(
            [Named("L", dropped)],
            [Named(c, n) for c, n in others],
            reference=None if args.no_reference else reference,
        )
        named = dict(others)
        false += [(name, dropped, named[p.right_id], p.evidence.text) for p in pairs if p.decision == "auto"]
    seconds = time.perf_counter() - start
    # a join to a presentation whose name reads the same as the shortened one (``susp`` / ``oral suspension``,
    # ``1mg/ml`` / ``5mg/5ml``): the shortened name is then that presentation's too, written another way
    same = [f for f in false if normalise(f[1]) == normalise(f[2])]
    other = [f for f in false if f not in same]
    for name, dropped, joined, evidence in other[: args.show]:
        print(f"  {name!r} written {dropped!r} -> {joined!r}\n      {evidence[:200]}")
    reference_note = "without the reference" if args.no_reference else "with the reference"
    print(
        f"{probed} names probed ({args.words}, {reference_note}) in {seconds:.1f} s: {len(other)} false automatic "
        f"joins; {len(same)} more to a presentation whose name, read, is the shortened name (not counted)"
    )


if __name__ == "__main__":
    main()
