"""Summarise a py-spy raw (collapsed) profile: the functions with the largest inclusive and own share.

`python -m bench.top PROFILE.txt [--match TEXT] [-n 25]`
"""

from __future__ import annotations

import argparse
from collections import Counter


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("-n", type=int, default=25)
    parser.add_argument("--match", default="", help="only frames containing this text")
    args = parser.parse_args(argv)
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    with open(args.profile) as lines:
        for line in lines:
            stack, _, count = line.rstrip().rpartition(" ")
            if not count.isdigit():
                continue
            samples = int(count)
            total += samples
            frames = stack.split(";")
            for frame in set(frames):
                inclusive[frame] += samples
            own[frames[-1]] += samples
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("own", own)):
        print(f"-- {title}")
        shown = 0
        for frame, samples in counter.most_common():
            if args.match in frame:
                print(f"{100 * samples / total:5.1f}%  {frame[:150]}")
                shown += 1
                if shown >= args.n:
                    break


if __name__ == "__main__":
    main()
