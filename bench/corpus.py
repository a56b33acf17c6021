"""Load a generated benchmark corpus into a database, fast.

    .venv/bin/python bench/corpus.py --articles 10000 --var-dir /tmp/bs-corpus
    .venv/bin/python bench/corpus.py --articles 100000 --with-demo --var-dir DIR

Articles come from `broadsheet.demo.corpus.build_corpus` (neutral generated text,
about 800 words and 3 notes each, tags, categories, one or two authors; article i
depends only on (seed, i)). Each body is rendered once with the real rendering
pipeline and stored with `Article.apply_rendering`, exactly as `save_article` would
store it, but rows go in with `bulk_create` (search index rows included), in
transactions of 1,000 articles, so
100,000 articles load in minutes rather than hours. No signals are sent: the corpus
goes into a fresh database before any server starts. Each batch's page fragments
are then rendered as publishing renders them (`web.fragments.render_missing`), and
related reading's lists are built at the end (`discovery.related.rebuild_related`).

`--with-demo` first loads the demo magazine (so the flagship article
/articles/the-long-life-of-movable-type/ exists next to the corpus). The taxonomy
(authors, categories, tags) is created or reused by slug.

The database is the one Broadsheet's settings point at: SQLite under `--var-dir`
(BROADSHEET_VAR_DIR), or `DATABASE_URL` when set. An existing SQLite file with
articles is refused unless `--force` (which deletes it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 1000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="How many.")
    parser.add_argument("--seed", type=int, default=1, help="Corpus seed (1).")
    parser.add_argument("--words", type=int, default=800, help="Words per article.")
    parser.add_argument("--notes", type=int, default=3, help="Notes per article.")
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=None,
        help="BROADSHEET_VAR_DIR for the database (default: $BROADSHEET_VAR_DIR "
        "or /tmp/broadsheet-corpus-N).",
    )
    parser.add_argument(
        "--with-demo", action="store_true", help="Load the demo magazine first."
    )
    parser.add_argument(
        "--force", action="store_true", help="Delete an existing SQLite database."
    )
    parser.add_argument("--quiet", action="store_true", help="No progress lines.")
    return parser.parse_args(argv)


def setup_django(var_dir: Path, *, force: bool) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BROADSHEET_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    if not os.environ.get("DATABASE_URL"):
        db = var_dir / "broadsheet.sqlite3"
        if db.exists():
            if not force:
                sys.exit(f"{db} exists; use --force to replace it (fresh DB needed).")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load(args: argparse.Namespace) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from broadsheet.content.models import Article, ArticleAuthor, Author, Category, Tag
    from broadsheet.demo.corpus import build_corpus, build_corpus_taxonomy
    from broadsheet.discovery.models import SearchDocument
    from broadsheet.discovery.search.index import documents_for
    from broadsheet.rendering import PIPELINE_VERSION, render
    from broadsheet.web.fragments import render_missing

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    timings = {"migrate_s": time.perf_counter() - started}

    if args.with_demo:
        from broadsheet.demo.load import load_demo_site

        t = time.perf_counter()
        load_demo_site()
        timings["demo_s"] = time.perf_counter() - t
    elif Article.objects.exists():
        sys.exit("The database has articles already; use --force for a fresh one.")

    author_specs, category_specs, tag_specs = build_corpus_taxonomy(args.seed)
    with transaction.atomic():
        authors = {}
        for spec in author_specs:
            author, created = Author.objects.get_or_create(
                slug=spec.slug, defaults={"name": spec.name, "bio": spec.bio_markdown}
            )
            if created:
                author.bio_html = render(spec.bio_markdown).html
                author.save(update_fields=["bio_html"])
            authors[spec.slug] = author.pk
        categories = {
            spec.slug: Category.objects.get_or_create(
                slug=spec.slug,
                defaults={"name": spec.name, "description": spec.description},
            )[0].pk
            for spec in category_specs
        }
        tags = {
            spec.slug: Tag.objects.get_or_create(
                slug=spec.slug, defaults={"name": spec.name}
            )[0].pk
            for spec in tag_specs
        }

    tag_through = Article.tags.through
    category_through = Article.categories.through
    generate_s = render_s = insert_s = index_s = fragments_s = 0.0
    words = notes = 0
    done = 0
    load_started = time.perf_counter()
    specs = build_corpus(
        args.articles, seed=args.seed, words=args.words, notes=args.notes
    )
    while done < args.articles:
        t0 = time.perf_counter()
        batch = []
        for _ in range(min(BATCH, args.articles - done)):
            batch.append(next(specs))
        t1 = time.perf_counter()
        rows = []
        for spec in batch:
            document = render(spec.body_markdown)
            if document.problems:
                raise SystemExit(f"{spec.slug}: {document.problems}")
            article = Article(
                title=spec.title,
                subtitle=spec.subtitle,
                slug=spec.slug,
                body=spec.body_markdown,
                excerpt=spec.excerpt,
                status=Article.Status.PUBLISHED,
                published_at=spec.published_at,
                first_published_at=spec.published_at,
                updated_at=spec.published_at,
            )
            article.apply_rendering(document, version=PIPELINE_VERSION)
            words += article.word_count
            notes += article.note_count
            rows.append(article)
        t2 = time.perf_counter()
        with transaction.atomic():
            created = Article.objects.bulk_create(rows, batch_size=BATCH)
            bylines, tag_rows, category_rows = [], [], []
            for spec, article in zip(batch, created, strict=True):
                for position, slug in enumerate(spec.author_slugs):
                    bylines.append(
                        ArticleAuthor(
                            article_id=article.pk,
                            author_id=authors[slug],
                            position=position,
                        )
                    )
                for slug in spec.tag_slugs:
                    tag_rows.append(
                        tag_through(article_id=article.pk, tag_id=tags[slug])
                    )
                for slug in spec.category_slugs:
                    category_rows.append(
                        category_through(
                            article_id=article.pk, category_id=categories[slug]
                        )
                    )
            ArticleAuthor.objects.bulk_create(bylines, batch_size=BATCH)
            tag_through.objects.bulk_create(tag_rows, batch_size=BATCH)
            category_through.objects.bulk_create(category_rows, batch_size=BATCH)
            t_index = time.perf_counter()
            # The search index's rows, as publishing writes them.
            SearchDocument.objects.bulk_create(documents_for(created), batch_size=BATCH)
        t3 = time.perf_counter()
        index_s += t3 - t_index
        render_missing(article.pk for article in created)
        generate_s += t1 - t0
        render_s += t2 - t1
        insert_s += t_index - t2
        fragments_s += time.perf_counter() - t3
        done += len(batch)
        if not args.quiet:
            elapsed = time.perf_counter() - load_started
            rate = done / elapsed if elapsed else 0.0
            eta = (args.articles - done) / rate if rate else 0.0
            print(
                f"  {done:>7,}/{args.articles:,} articles  {rate:6.0f}/s  "
                f"elapsed {elapsed:6.1f} s  eta {eta:6.1f} s",
                flush=True,
            )
    # Related reading's lists, as publishing would have stored them one by one.
    from broadsheet.discovery.related import rebuild_related

    t = time.perf_counter()
    rebuild_related()
    related_s = time.perf_counter() - t
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = time.perf_counter() - started
    return {
        "articles_loaded": done,
        "articles_in_db": Article.objects.count(),
        "seed": args.seed,
        "words": words,
        "notes": notes,
        "database": connection.settings_dict["NAME"],
        **{k: round(v, 2) for k, v in timings.items()},
        "generate_s": round(generate_s, 2),
        "render_s": round(render_s, 2),
        "insert_s": round(insert_s, 2),
        "index_s": round(index_s, 2),
        "fragments_s": round(fragments_s, 2),
        "related_s": round(related_s, 2),
        "total_s": round(total, 2),
        "articles_per_s": round(done / (time.perf_counter() - load_started), 1),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    args = parse_args(argv)
    var_dir = args.var_dir or Path(
        os.environ.get("BROADSHEET_VAR_DIR")
        or f"/tmp/broadsheet-corpus-{args.articles}"
    )
    setup_django(var_dir.resolve(), force=args.force)
    summary = load(args)
    print(
        f"Loaded {summary['articles_loaded']:,} articles "
        f"({summary['articles_in_db']:,} in the database, "
        f"{summary['words']:,} words, {summary['notes']:,} notes) "
        f"in {summary['total_s']} s: generate {summary['generate_s']} s, "
        f"render {summary['render_s']} s, insert {summary['insert_s']} s, "
        f"search index {summary['index_s']} s, "
        f"fragments {summary['fragments_s']} s, related {summary['related_s']} s "
        f"({summary['articles_per_s']} articles/s). Database: {summary['database']}",
        flush=True,
    )
    return summary


if __name__ == "__main__":
    main()
