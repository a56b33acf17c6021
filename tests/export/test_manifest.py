"""The export's manifest: numbered tables, entries by name, written atomically."""

from broadsheet.export.manifest import MANIFEST, Entry, Manifest


def test_the_manifest_forgets_urls_no_longer_reached(tmp_path):
    manifest = Manifest(started_ns=1)
    manifest.add("/", "index.html", "h0", ["/a/", "/c/"], ["site"])
    for url in ["/a/", "/b/", "/c/", "/d/", "/e/"]:
        manifest.add(url, url.strip("/") + "/index.html", "h", [], [])
    manifest.add("/feed/", "feed/index.xml", "h1", ["/a/"], [])
    reached = {manifest.urls.ids[url] for url in ["/", "/a/", "/c/", "/feed/"]}
    manifest.pages = {number: manifest.pages[number] for number in reached}
    manifest.write(tmp_path / MANIFEST, reached)
    again = Manifest.read(tmp_path / MANIFEST)
    assert again.urls.names == ["/", "/a/", "/c/", "/feed/"]
    home, feed = again.pages[0], again.pages[3]
    assert again.urls.decode(home.links) == ["/a/", "/c/"]
    assert again.surfaces.decode(home.surfaces) == ["site"]
    assert again.file(0) == "index.html"
    assert (again.file(3), again.urls.decode(feed.links)) == ("feed/index.xml", ["/a/"])


def test_entries_are_written_as_lists_and_read_back_by_name(tmp_path):
    manifest = Manifest(started_ns=1)
    manifest.add("/a/", "a/index.html", "h", ["/"], ["site", "article:1"])
    manifest.write(
        tmp_path / MANIFEST, {manifest.urls.ids["/a/"], manifest.urls.ids["/"]}
    )
    entry = Manifest.read(tmp_path / MANIFEST).pages[0]
    assert isinstance(entry, Entry)
    assert (entry.file, entry.digest) == ("", "h")  # "": the usual file for its URL
