#!/usr/bin/env python3
"""Print the W3C Web Annotation selectors of a quote in an article, positions in code points.

Usage: scripts/evidence.py ARTICLE QUOTE [OCCURRENCE]
OCCURRENCE (1-based, default 1) picks among repeated quotes. Prints JSON evidence:
{"article_sha256", "quote": TextQuoteSelector, "position": TextPositionSelector}
"""
import hashlib
import json
import sys


def evidence(text: str, quote: str, occurrence: int = 1, sha: str | None = None) -> dict:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            raise SystemExit(f"quote not found (occurrence {occurrence}): {quote!r}")
    end = start + len(quote)  # Python str indexes count code points
    return {
        "article_sha256": sha or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "quote": {"type": "TextQuoteSelector", "exact": quote,
                  "prefix": text[max(0, start - 32):start], "suffix": text[end:end + 32]},
        "position": {"type": "TextPositionSelector", "start": start, "end": end},
    }


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        article = f.read().decode("utf-8")
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    print(json.dumps(evidence(article, sys.argv[2], n), ensure_ascii=False))
