"""Time related reading's recompute after one publish, on a large generated corpus.

    .venv/bin/python bench/related_recompute.py --articles 100000
    .venv/bin/python bench/related_recompute.py --articles 10000 --publishes 9
    .venv/bin/python bench/related_recompute.py --reuse --var-dir DIR  # corpus.py DB

Without --reuse it builds its own SQLite corpus under --var-dir: the articles of
`broadsheet.demo.corpus.build_corpus` (about 800 words each, tags, categories, one
or two authors) with their search index rows, their text taken as written (no
rendering and no page fragments: related reading reads only the index's text and
the links, and rendering is what makes bench/corpus.py take an hour at 100,000).
It then builds every list with `rebuild_related()` (timed too), and publishes
--publishes new corpus articles one at a time through publishing's save_article,
timing `discovery.related.update_for()` (the recompute: the article's terms, its
list, and every list it changes) inside each publish, and the whole publish. Then
it withdraws as many random articles the same way. Medians are printed and written
to bench/results/related-recompute-N-<time>.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 1000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="Corpus size.")
    parser.add_argument("--publishes", type=int, default=7, help="Publishes timed.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--var-dir", type=Path, default=None)
    parser.add_argument(
        "--reuse", action="store_true", help="Use the corpus already in --var-dir."
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="With --reuse: rebuild lists anyway."
    )
    parser.add_argument("--json", type=Path, default=None, help="Also write here.")
    parser.add_argument(
        "--terms-only",
        action="store_true",
        help="Build terms but no lists (quick; each publish then enters many empty"
        " lists: a pessimistic figure).",
    )
    return parser.parse_args(argv)


def setup_django(var_dir: Path, *, reuse: bool) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BROADSHEET_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    db = var_dir / "broadsheet.sqlite3"
    if not reuse and not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(args: argparse.Namespace) -> dict[str, float]:
    """Load the corpus's articles, links and index rows; return timings."""
    from django.db import transaction

    from broadsheet.content.models import Article, ArticleAuthor, Author, Category, Tag
    from broadsheet.demo.corpus import build_corpus, build_corpus_taxonomy
    from broadsheet.discovery.models import SearchDocument

    started = time.perf_counter()
    authors, categories, tags = build_corpus_taxonomy(args.seed)
    author_ids = {
        s.slug: Author.objects.create(slug=s.slug, name=s.name).pk for s in authors
    }
    category_ids = {
        s.slug: Category.objects.create(slug=s.slug, name=s.name).pk for s in categories
    }
    tag_ids = {s.slug: Tag.objects.create(slug=s.slug, name=s.name).pk for s in tags}
    specs = build_corpus(args.articles, seed=args.seed)
    done = 0
    while done < args.articles:
        batch = [next(specs) for _ in range(min(BATCH, args.articles - done))]
        with transaction.atomic():
            created = Article.objects.bulk_create(
                Article(
                    title=s.title,
                    subtitle=s.subtitle,
                    slug=s.slug,
                    body=s.body_markdown,
                    status=Article.Status.PUBLISHED,
                    published_at=s.published_at,
                    first_published_at=s.published_at,
                    updated_at=s.published_at,
                )
                for s in batch
            )
            pairs = list(zip(batch, created, strict=True))
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article_id=a.pk, author_id=author_ids[slug], position=n)
                for s, a in pairs
                for n, slug in enumerate(s.author_slugs)
            )
            Article.tags.through.objects.bulk_create(
                Article.tags.through(article_id=a.pk, tag_id=tag_ids[slug])
                for s, a in pairs
                for slug in s.tag_slugs
            )
            Article.categories.through.objects.bulk_create(
                Article.categories.through(
                    article_id=a.pk, category_id=category_ids[slug]
                )
                for s, a in pairs
                for slug in s.category_slugs
            )
            SearchDocument.objects.bulk_create(
                SearchDocument(
                    article_id=a.pk,
                    title=s.title,
                    subtitle=s.subtitle,
                    body=s.body_markdown,
                )  # fmt: skip
                for s, a in pairs
            )
        done += len(batch)
        print(f"  loaded {done:,}/{args.articles:,}", flush=True)
    return {"load_s": round(time.perf_counter() - started, 1)}


def rebuild(*, with_lists: bool) -> dict[str, object]:
    from broadsheet.discovery.related import rebuild_related

    started = time.perf_counter()
    done = [0]

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 5000 < n:
            print(f"  related: {done[0]:,} steps", flush=True)

    counts = rebuild_related(progress=progress, with_lists=with_lists)
    return {"rebuild_s": round(time.perf_counter() - started, 1), **counts}


def timed_changes(args: argparse.Namespace) -> dict[str, object]:
    """Publish new articles and withdraw old ones, timing the recompute in each."""
    from django.db import connection

    from broadsheet.content.models import Article, Author, Tag
    from broadsheet.demo.corpus import build_corpus
    from broadsheet.discovery import related
    from broadsheet.discovery.related import lists
    from broadsheet.publishing import services

    recompute: list[float] = []
    changed: list[int] = []
    original = lists.update_for

    def timing(*a, **k):
        t = time.perf_counter()
        result = original(*a, **k)
        recompute.append(time.perf_counter() - t)
        changed.append(len(result))
        return result

    related.update_for = timing  # what publishing's services call
    fresh = build_corpus(args.articles + args.publishes, seed=args.seed)
    for _ in range(args.articles):
        next(fresh)  # past the corpus: articles it does not hold yet
    publish_ms, recompute_ms, lists_changed = [], [], []
    run = int(time.time())  # slugs unique across runs on a reused corpus
    for n in range(args.publishes):
        spec = next(fresh)
        article = Article(
            title=spec.title,
            subtitle=spec.subtitle,
            slug=f"bench-{run}-{n}-{spec.slug}",
            body=spec.body_markdown,
            status=Article.Status.PUBLISHED,
        )
        authors = list(Author.objects.filter(slug__in=spec.author_slugs))
        recompute.clear(), changed.clear()
        t = time.perf_counter()
        services.save_article(article, authors=authors)
        article.tags.set(Tag.objects.filter(slug__in=spec.tag_slugs))
        publish_ms.append((time.perf_counter() - t) * 1000)
        recompute_ms.append(sum(recompute) * 1000)
        lists_changed.append(sum(changed))
        print(
            f"  publish {n + 1}: recompute {recompute_ms[-1]:.1f} ms"
            f" ({lists_changed[-1]} lists changed), publish {publish_ms[-1]:.1f} ms",
            flush=True,
        )
    draw = random.Random(args.seed)
    ids = list(Article.objects.live().values_list("pk", flat=True))
    withdraw_ms = []
    for pk in draw.sample(ids, min(args.publishes, len(ids))):
        recompute.clear(), changed.clear()
        services.unpublish_article(Article.objects.get(pk=pk))
        withdraw_ms.append(sum(recompute) * 1000)
        print(
            f"  withdraw {pk}: recompute {withdraw_ms[-1]:.1f} ms"
            f" ({sum(changed)} lists changed)",
            flush=True,
        )
    return {
        "database": connection.vendor,
        "publishes": args.publishes,
        "recompute_ms": [round(v, 1) for v in recompute_ms],
        "recompute_median_ms": round(statistics.median(recompute_ms), 1),
        "publish_median_ms": round(statistics.median(publish_ms), 1),
        "lists_changed": lists_changed,
        "withdraw_recompute_ms": [round(v, 1) for v in withdraw_ms],
        "withdraw_recompute_median_ms": round(statistics.median(withdraw_ms), 1),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    args = parse_args(argv)
    var_dir = (
        args.var_dir or Path(f"/tmp/broadsheet-related-{args.articles}")
    ).resolve()
    setup_django(var_dir, reuse=args.reuse)
    from django.core.management import call_command

    from broadsheet.content.models import Article
    from broadsheet.discovery.models import RelatedTerm

    call_command("migrate", interactive=False, verbosity=0)
    figures: dict[str, object] = {"articles": args.articles}
    if not args.reuse:
        figures |= build(args)
    if args.reuse and RelatedTerm.objects.exists() and not args.rebuild:
        figures["rebuild_s"] = None  # the corpus's lists are used as they are
    else:
        figures |= rebuild(with_lists=not args.terms_only)
        figures["lists_built"] = not args.terms_only
    figures["articles_in_db"] = Article.objects.count()
    figures |= timed_changes(args)
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = out / f"related-recompute-{figures['articles_in_db']}-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"Written to {path}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()
