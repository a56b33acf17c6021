"""wrk's runs of a paired scenario lie between nginx's (decision 0008, stop 14)."""


def test_each_run_lies_between_two_nginx_runs_and_is_compared_with_them(
    harness, monkeypatch
):
    order = []
    speeds = iter([20e3, 10e3, 30e3, 12e3, 22e3, 9e3, 26e3])

    class Recording(harness.wrk.Wrk):
        def warm(self, url, *, headers=None, cached):
            return f"warm {url}"

        def run(self, url, *, headers=None):
            order.append(url)
            return {"rps": next(speeds), "p99_ms": 5.0}

    monkeypatch.setattr(harness.wrk, "wait_idle", lambda server: 0.0)
    wrk = Recording(duration=1, connections=1, threads=1, repeats=3)

    _, ours, nginx = wrk.interleaved("ours", "A", "N", cached=True, server=None)

    assert order == ["N", "A", "N", "A", "N", "A", "N"]
    assert [r["baseline_rps"] for r in ours] == [25e3, 26e3, 24e3]
    assert [r["of_baseline"] for r in ours] == [0.4, round(12 / 26, 4), 0.375]
    assert [r["rps"] for r in nginx] == [20e3, 30e3, 22e3, 26e3]
