"""WordPress import: read a WXR export, convert its markup, load it into content."""
