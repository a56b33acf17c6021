"""The act of publishing and what it emits: state changes, signals, feeds, sitemaps."""
