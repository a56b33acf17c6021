"""The static export: the public site written to files at identical URLs."""
