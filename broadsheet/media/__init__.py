"""Images for articles: uploads checked by content, renditions made once."""
