"""On PostgreSQL, each search row also stores its pairs of neighbouring words.

GIN stores no positions: for a phrase, the full-text index finds the rows that
hold all its words, and PostgreSQL then reads each of those rows' toasted
tsvector to check the words' order (~5 µs a row). A rare phrase of common words
("press of ink") was checked against tens of thousands of rows: 150-250 ms at
100,000 articles. Elasticsearch's ``index_phrases`` answers the same problem by
indexing two-word shingles; this is that, in the database.

``word_pairs`` holds, for each two neighbouring positions of the row's tsvector,
a hash of (lexeme, distance, next lexeme); the distance keeps the gap a stopword
leaves ("history of printing" is 'histori' <2> 'print'). A phrase's own pairs,
computed by the same function from its own tsvector, must all be in a row for
it to hold the phrase, so the full-text GIN index, which now holds
``word_pairs`` too, finds the rows that hold it without reading them. search/backends/postgres.py
asks for it.

The pairs are of neighbouring positions, so a row whose phrase words stand at
the right distance with another word between ("press new ink") does not match
"press of ink", as it did by ``@@`` alone (and never did on SQLite). Past
position 16,383, PostgreSQL's limit, all words share one position, where
``@@`` cannot match a phrase either.

The column is generated from SearchDocument's text, as the vector is (the
expression written out as discovery 0001 made it), so it is never written by
hand. SQLite: nothing here (FTS5 stores positions).
"""

from django.db import migrations

TABLE = "discovery_searchdocument"
OLD_INDEX = f"{TABLE}_vector_id"
NEW_INDEX = f"{TABLE}_vector_pairs_id"
FUNCTION = "broadsheet_word_pairs"
WEIGHTS = {
    "title": "A",
    "subtitle": "B",
    "people": "B",
    "body": "C",
    "works": "C",
    "notes": "D",
}
VECTOR = " || ".join(
    f"setweight(to_tsvector('english'::regconfig, {column}), '{weight}')"
    for column, weight in WEIGHTS.items()
)
# hashtextextended() is PostgreSQL's 64-bit hash of text, kept the same across
# versions (hash partitions depend on it). 64 bits, so that two pairs share a
# hash about once in 10^11 searches: a phrase of two words is found by its pair
# alone, without reading the rows' vectors (search/backends/postgres.py).
PAIRS = f"""
CREATE FUNCTION {FUNCTION}(vector tsvector) RETURNS int8[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT hashtextextended(
    before || ' ' || (pos - at) || ' ' || lexeme, 0)), '{{}}')
  FROM (
    SELECT lexeme, pos, lag(lexeme) OVER w AS before, lag(pos) OVER w AS at
    FROM unnest(vector) AS l, unnest(l.positions) AS pos
    WINDOW w AS (ORDER BY pos)
  ) AS neighbours
  WHERE before IS NOT NULL
$$
"""

POSTGRES = [
    PAIRS,
    f"ALTER TABLE {TABLE} ADD COLUMN word_pairs int8[]"
    f" GENERATED ALWAYS AS ({FUNCTION}({VECTOR})) STORED",
    # In discovery 0007's index, beside the vector and the id's block: one index
    # that matches a query's words, pairs and window together. (Given a second
    # index holding the block, the planner took it for the window alone and
    # checked a common word on each row's vector: 12 ms for 500 rows.)
    f"CREATE INDEX {NEW_INDEX} ON {TABLE}"
    " USING GIN (vector, word_pairs, (article_id / 256))",
    f"DROP INDEX {OLD_INDEX}",
]
POSTGRES_REVERSE = [
    f"CREATE INDEX {OLD_INDEX} ON {TABLE} USING GIN (vector, (article_id / 256))",
    f"DROP INDEX {NEW_INDEX}",
    f"ALTER TABLE {TABLE} DROP COLUMN word_pairs",
    f"DROP FUNCTION {FUNCTION}(tsvector)",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, POSTGRES)


def drop(apps, schema_editor):
    _run(schema_editor, POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0008_search_heading_column")]

    operations = [migrations.RunPython(create, drop)]
