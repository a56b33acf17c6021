"""Migration: importers from other platforms (WordPress first), and their reports."""
