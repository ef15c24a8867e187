"""Speed of ``extract_movements``: articles of 5,000 characters per second, warm and cold.

Two corpora of articles, each exactly 5,000 characters, are built from the annotated
passages of tests/data/extract:

* ``wire``: passages interleaved with background paragraphs of the kind wire stories
  carry between their figures (quotes, context, history; some with years and
  casualty figures), about one paragraph in three stating a movement;
* ``dense``: passages only, every sentence a figure — the worst case.

Warm: one :class:`~evacmap.extract.Extractor` (gazetteer loaded, name scan built), one
pass to warm up, then the median of 3 timed passes over all articles. Cold: the whole
``evacmap extract ARTICLE -o out.json`` process, median of 5 runs. Both wall-clock and
CPU seconds are printed, since the machine may be shared.

Usage: ``python bench/extract_speed.py [--articles 300] [--json]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import evacmap_cmd, median_run

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "extract"
ARTICLE_CHARS = 5_000

BACKGROUND = [
    "The agreement was brokered by Russia and Turkey after weeks of negotiations, according to "
    "officials on both sides, who spoke on condition of anonymity because they were not "
    "authorised to brief the press.",
    "Government forces, backed by Russian air power and Iranian-backed militias, have recaptured "
    "much of the territory they lost early in the war, pushing rebels into a shrinking pocket in "
    "the northwest of the country.",
    "\"We are leaving our homes, but we are not leaving our cause,\" said one man as he boarded a "
    "green bus, clutching a bag of clothes and a plastic folder of documents.",
    "Aid agencies have warned repeatedly that camps near the Turkish border are overcrowded and "
    "that winter rains turn the tented settlements into mud.",
    "The United Nations has described such deals as forced displacement, a charge the government "
    "rejects, saying the fighters are free to choose reconciliation instead.",
    "The conflict began in 2011 with protests against President Bashar al-Assad and has since "
    "drawn in regional and world powers, killing hundreds of thousands of people.",
    "Residents described months of shortages of bread, fuel and medicine, and said prices in the "
    "local market had risen tenfold since the siege was tightened last year.",
    "A spokesman for the International Committee of the Red Cross said its teams were present at "
    "the departure point but had not been given access to the town itself.",
    "State television broadcast footage of soldiers raising the national flag over the main "
    "square, while loudspeakers urged remaining gunmen to hand over their weapons.",
    "Opposition activists accused the government of using starvation as a weapon of war, an "
    "accusation Damascus denies, blaming the rebels for holding civilians as human shields.",
    "The road north passes through several government checkpoints, and drivers said the journey "
    "that once took four hours now takes most of a day.",
    "Local councils in the receiving areas said they had prepared schools and mosques as "
    "temporary shelters, but that blankets and heating fuel were running short.",
]


def _passages() -> list[str]:
    return [p.read_text(encoding="utf-8").strip() for p in sorted(DATA.glob("*/*.txt"))]


def build_corpus(n: int, *, dense: bool) -> list[str]:
    """`n` articles of exactly :data:`ARTICLE_CHARS` characters (cut at a paragraph)."""
    passages = itertools.cycle(_passages())
    background = itertools.cycle(BACKGROUND)
    articles = []
    for i in range(n):
        parts: list[str] = []
        size = 0
        k = 0
        while size < ARTICLE_CHARS:
            take_passage = dense or k % 3 == i % 3
            text = next(passages) if take_passage else next(background)
            parts.append(text)
            size += len(text) + 2
            k += 1
        articles.append("\n\n".join(parts)[:ARTICLE_CHARS])
    return articles


def warm(articles: list[str], country: str = "SY") -> dict[str, float]:
    """Articles per second with a warm extractor (median of 3 passes after a warm-up)."""
    from evacmap.extract import Extractor
    from evacmap.gazetteer import Gazetteer

    ex = Extractor(Gazetteer.world(), country=country)
    for a in articles:
        ex.extract(a)
    walls, cpus = [], []
    movements = 0
    for _ in range(3):
        w0, c0 = time.perf_counter(), time.process_time()
        movements = sum(len(ex.extract(a).movements) for a in articles)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    return {
        "articles": len(articles),
        "movements_per_pass": movements,
        "articles_per_s_wall": round(len(articles) / wall, 1),
        "articles_per_s_cpu": round(len(articles) / cpu, 1),
    }


def cold(article: str, repeats: int = 5) -> dict[str, float]:
    """The whole ``evacmap extract`` process on one article: median wall and CPU seconds."""
    import resource
    import subprocess

    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(article, encoding="utf-8")
        cmd = evacmap_cmd("extract", str(path), "--country", "SY", "-o", str(Path(tmp) / "o.json"))
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        rss = median_run(cmd, 1).max_rss_mb
    return {"first_article_s_wall": round(statistics.median(walls), 3),
            "first_article_s_cpu": round(statistics.median(cpus), 3), "max_rss_mb": round(rss, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    wire = build_corpus(args.articles, dense=False)
    report = {
        "wire": warm(wire),
        "dense": warm(build_corpus(args.articles, dense=True)),
        "cold": cold(wire[0]),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for name in ("wire", "dense"):
            r = report[name]
            print(f"warm {name:<5}: {r['articles_per_s_wall']:>7.1f} articles/s wall, "
                  f"{r['articles_per_s_cpu']:>7.1f} per CPU-second "
                  f"({r['articles']} articles of {ARTICLE_CHARS:,} chars, {r['movements_per_pass']} movements)")
        c = report["cold"]
        print(f"cold: first article in a fresh process {c['first_article_s_wall']:.3f} s wall, "
              f"{c['first_article_s_cpu']:.3f} s CPU (medians of 5), peak {c['max_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
