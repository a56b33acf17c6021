"""The WSGI front end: the hot path before Django, direct views, the back office."""
