"""Our XSS corpus (xss_vectors.py) through every input path a writer, an editor,
an administrator or an import reaches, each resulting page loaded in Chromium
with hooks that fail when script runs, a dialog opens, a link with a script
scheme or an event handler is on the page, or the text written after a vector
is not (issue 16 part B). The tests are in test_xss_corpus.py, on one demo
site of their own (conftest.py).

Every vector goes into its field followed by a marker sentence; the page must
show the marker, unless the product refused the input with a problem naming
it (a form error on the field, a problem with its line, an import naming the
entry): such vectors are listed in the summary line's "answered with a
problem" lines, left out, and the rest saved again and checked.

Fields of a few hundred characters (titles, names, terms, settings) take
SHORT_TEXT, the part of the corpus written for plain-text contexts; Markdown
and HTML fields and long text fields take the whole corpus. A link field that
checks its address takes every URL vector, one per form where the form holds
one: each is refused with an error on that field, or saved and checked on the
page. The Chromium context bypasses the site's Content-Security-Policy, so
what is proven is the sanitiser and the templates' escaping.

Not pushed here: the user admin and the audit log (shown only in the Django
admin, escaped by Django's own templates), share links (the preview's page
with another key), backups (they restore what the site held), and the static
export (it writes the pages checked here, as files).
"""
