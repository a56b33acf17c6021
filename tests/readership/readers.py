"""Many readers at once, in threads of one process, for the counting tests."""

import threading

from broadsheet.readership.counting import record_view


def record_views_from_threads(article_id: int, *, threads: int, each: int) -> None:
    """Record `threads` x `each` views of an article concurrently."""

    def read() -> None:
        for _ in range(each):
            record_view(article_id)

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
