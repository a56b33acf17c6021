"""Posts converted by a forked worker ahead of the loader (wordpress.ahead)."""

import io
import os

import pytest

from broadsheet.migration.wordpress import ahead
from broadsheet.migration.wordpress.convert import Conversion
from broadsheet.migration.wordpress.wxr import WxrItem, read_wxr
from tests.migration import wxr

POSTS = [
    wxr.item(
        n,
        title=f"Post {n}",
        content=f"<p>Ink number {n}{wxr.core_note_anchor('fn' + str(n), 1)}.</p>"
        f"<ul><li>Press {n}</li></ul>",
        meta=[wxr.footnotes_meta([("fn" + str(n), f"A note on press {n}.")])],
        post_type="page" if n % 7 == 0 else "post",
    )
    for n in range(1, 151)  # past the window: the look-ahead refills as it goes
]


def records() -> list[object]:
    text = wxr.export(*wxr.default_header(), *POSTS)
    return list(read_wxr(io.BytesIO(text.encode()), filename="export.xml"))


def wanted(record: object) -> bool:
    return isinstance(record, WxrItem) and record.wp_id % 3 != 0


@pytest.mark.parametrize("parallel", [True, False])
def test_each_record_comes_back_in_order_with_the_conversion_done_in_process(
    parallel,
):
    given = records()
    assert len(given) > ahead.WINDOW * 2
    got = list(ahead.converted_ahead(given, wanted, None, parallel=parallel))

    assert [record for record, _ in got] == given
    for record, conversion in got:
        if not wanted(record):
            assert conversion is None
            continue
        assert conversion == ahead.convert_item(record, None)
        assert f"Ink number {record.wp_id}" in conversion.markdown
        assert conversion.notes == 1


def test_a_failed_conversion_is_the_loaders_failure(monkeypatch):
    def broken(item, media):
        raise ValueError(f"cannot convert post {item.wp_id}")

    monkeypatch.setattr(ahead, "convert_item", broken)  # the fork inherits it
    with pytest.raises(ValueError, match="cannot convert post 1"):
        list(ahead.converted_ahead(records(), wanted, None, parallel=True))


def test_with_two_cores_another_process_converts(monkeypatch):
    monkeypatch.setattr(ahead.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(
        ahead, "convert_item", lambda item, media: Conversion(str(os.getpid()))
    )
    got = ahead.converted_ahead(records(), wanted, None, parallel=True)
    pids = {conversion.markdown for _, conversion in got if conversion}
    assert pids and str(os.getpid()) not in pids
