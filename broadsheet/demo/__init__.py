"""Demo content for Broadsheet: generated essays, authors and pages as plain data."""
