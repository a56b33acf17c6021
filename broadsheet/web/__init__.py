"""Serving the public site: views, templates, HTTP caching."""
