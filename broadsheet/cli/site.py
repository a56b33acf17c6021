"""Site commands: demo content, the admin account, integrity checks, re-rendering,
the search index, view counts and due publications."""

from __future__ import annotations

import secrets
import sys

import click

from broadsheet.cli.progress import counter, progress, summary


@click.command()
@click.option("--force", is_flag=True, help="Add the demo even if content exists.")
def demo(force: bool) -> None:
    """Migrate, load the demo site into an empty database, create the admin."""
    from django.core.management import call_command

    from broadsheet.content.models import Article
    from broadsheet.demo import load

    call_command("migrate", interactive=False, verbosity=0)
    if Article.objects.exists() and not force:
        click.echo("Content exists already; demo not loaded (use --force to add it).")
    else:
        counts = load.load_demo_site(
            progress=lambda items, n: progress(
                items, label="Loading demo articles", length=n
            )
        )
        summary("Demo site loaded", counts)
    _ensure_admin()


@click.command()
@click.option("--username", default="admin", show_default=True)
@click.option("--reset", is_flag=True, help="Generate a new password for the account.")
def createadmin(username: str, reset: bool) -> None:
    """Create the back-office superuser with a generated password kept in var/."""
    _ensure_admin(username=username, reset=reset)


def _ensure_admin(*, username: str = "admin", reset: bool = False) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    password_file = settings.VAR_DIR / f"{username}_password.txt"
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None or reset or not password_file.exists():
        password = secrets.token_urlsafe(12)
        user = user or user_model(username=username, email="")
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
    password = password_file.read_text().strip()
    click.echo(
        f"Newsroom (write, review, publish): {settings.BROADSHEET_SITE_URL}/newsroom/\n"
        f"Site administration (users and roles, settings, sources):"
        f" {settings.BROADSHEET_SITE_URL}/admin/\n"
        f"  username: {username}\n  password: {password}\n"
        f"  (kept in {password_file}; `broadsheet createadmin --reset` makes a new one)"
    )


@click.command()
def rerender() -> None:
    """Re-render every stored document after a change to the rendering pipeline."""
    from broadsheet.content.models import Article, Author, Page
    from broadsheet.publishing.services import rerender_all

    total = Article.objects.count() + Page.objects.count() + Author.objects.count()
    problems: list[str] = []
    with click.progressbar(length=total, label="Re-rendering", file=sys.stderr) as bar:

        def advance(obj: object, found: list[str]) -> None:
            problems.extend(
                f"{type(obj).__name__} \u201c{obj}\u201d: {p}" for p in found
            )
            bar.update(1)

        counts = rerender_all(progress=advance)
    for line in problems:
        click.echo(line, err=True)
    summary("Re-rendered", counts)


@click.command()
def reindex() -> None:
    """Rebuild the search index and related reading from every live and scheduled
    article.

    Publishing keeps both in step by itself; run this after restoring a database,
    after changing the index's text extraction, or to refresh related reading's
    term weights as the site grows. Each is one transaction: searches and article
    pages keep using the old index and lists until it commits.
    """
    from broadsheet.content.models import Article
    from broadsheet.discovery.related import rebuild_related
    from broadsheet.discovery.search import index

    total = Article.objects.live(index.END_OF_TIME).count()
    with counter(label="Indexing", length=total) as advance:
        counts = index.rebuild_index(progress=advance)
    summary("Search index rebuilt", counts)
    # Each article twice: its terms, then its list.
    with counter(label="Relating", length=2 * total) as advance:
        counts = rebuild_related(progress=advance)
    summary("Related reading rebuilt", counts)


@click.command()
def check() -> None:
    """Report content integrity problems; exit with status 1 when there are any."""
    from broadsheet.publishing.integrity import content_problems

    problems = list(content_problems())
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise SystemExit(1)
    click.echo("No problems found.")


@click.command("flush-views")
def flush_views() -> None:
    """Move counted views into the database now (servers do it every few seconds).

    Views wait in spool files under var/views/ (or, with REDIS_URL, in Redis),
    including those of a server that died; each is counted exactly once.
    """
    from broadsheet.readership.counting import flush_views as flush

    click.echo(f"Flushed {flush()} buffered view(s).")


@click.command()
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["contributor", "author", "editor", "administrator"]),
    required=True,
    help="What the account may do in the newsroom (README: Newsroom roles).",
)
@click.option(
    "--author",
    "author_slug",
    default=None,
    help="Slug of the Author whose byline is this account's (created if missing).",
)
@click.option("--name", default=None, help="The author's name, when one is created.")
def adduser(
    username: str, role: str, author_slug: str | None, name: str | None
) -> None:
    """Create a newsroom account with a role and a generated password, or give an
    existing account that role; link it to its byline's Author."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from broadsheet.content.models import Author
    from broadsheet.editorial.roles import Role, assign

    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username)
        password = None
        if created:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
        assign(user, Role[role.upper()], by_name="broadsheet adduser")
        if author_slug:
            author, _new = Author.objects.get_or_create(
                slug=author_slug, defaults={"name": name or username}
            )
            if author.user_id not in (None, user.pk):
                raise click.ClickException(
                    f"Author \u201c{author_slug}\u201d belongs to another account."
                )
            author.user = user
            author.save(update_fields=["user"])
    click.echo(
        f"{username}: {role}" + (f", writing as {author_slug}" if author_slug else "")
    )
    if password:
        click.echo(f"  password: {password}  (shown once; change it after logging in)")


@click.command("publish-due")
def publish_due() -> None:
    """Publish the scheduled articles whose time has come (one pass), and say which.

    `broadsheet serve` does this every BROADSHEET_SCHEDULER_SECONDS by itself; run
    this from cron beside another server. A pass running at the same time as
    another publishes nothing twice.
    """
    from django.utils import timezone

    from broadsheet.publishing.services import publish_due as publish
    from broadsheet.publishing.site_address import absolute_url

    published = publish()
    for article in published:
        due = timezone.localtime(article.published_at)
        click.echo(
            f"Published \u201c{article.title}\u201d (due {due:%Y-%m-%d %H:%M:%S %Z}):"
            f" {absolute_url(article.get_absolute_url())}"
        )
    click.echo(f"Published {len(published)} scheduled article(s).")


COMMANDS = [
    demo,
    createadmin,
    adduser,
    rerender,
    reindex,
    check,
    flush_views,
    publish_due,
]
