"""Campaign detection benchmark: time and peak memory of find_campaigns on synthetic comments.

    make bench            (or: .venv/bin/python bench/campaigns.py [--counts 20000] )

For each count, a child process builds that many synthetic Latvian comments
(consult.services.synthetic.comment_text) on 7 sections, with 5 % of them copies of the
generated letter with the usual edits (edited_copies), and times find_campaigns on them.
Its peak resident memory (ru_maxrss) is reported too. It checks that every copy of the
letter landed in one campaign.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time


def run_one(count: int) -> dict:
    from consult.services.campaigns import find_campaigns
    from consult.services.synthetic import comment_text, edited_copies
    rng = random.Random(count)
    letters = count // 20
    items = [(i, i % 7, comment_text(rng)) for i in range(count - letters)]
    copies = [(f"letter{i}", 3, text) for i, text in enumerate(edited_copies(rng, letters))]
    items += copies
    rng.shuffle(items)
    started = time.perf_counter()
    found = find_campaigns(items)
    elapsed = time.perf_counter() - started
    letter = [c for c in found if any(str(i).startswith("letter") for i in c.ids)]
    return {"count": count, "seconds": round(elapsed, 2), "campaigns": len(found),
            "letter_campaigns": len(letter), "letter_size": letter[0].size if letter else 0, "letter_copies": letters,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="20000")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child)))
        return 0
    failed = False
    for count in (int(c) for c in args.counts.split(",")):
        output = subprocess.run([sys.executable, __file__, "--child", str(count)], check=True,
                                capture_output=True, text=True).stdout
        result = json.loads(output)
        ok = result["letter_campaigns"] == 1 and result["letter_size"] == result["letter_copies"]
        failed |= not ok
        print(f"campaigns  {result['count']:>7,} comments  {result['seconds']:6.2f} s  peak {result['peak_mb']:6.1f} "
              f"MB  "
              f"{result['campaigns']} campaigns; letter: {result['letter_size']} of {result['letter_copies']} copies "
              f"in {result['letter_campaigns']} campaign(s) {'ok' if ok else 'WRONG'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
