"""The back office for articles: editing, previewing, publishing and withdrawing."""
