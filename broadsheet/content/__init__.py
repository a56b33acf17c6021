"""What editors write: articles, authors, taxonomy, static pages and site settings."""
