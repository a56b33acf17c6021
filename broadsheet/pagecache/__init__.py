"""The page cache: stored public responses, invalidated exactly by surfaces."""
