"""Charts are drawn off the request threads, one at a time, by a bounded queue."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from bot.chartqueue import ChartQueue
from summaries.config.loader import parse_config
from summaries.digest import charts
from summaries.digest.model import Trend, TrendSeries
from summaries.periods import Month
from tests.support.botkit import sample_text

WAIT = 10.0  # seconds before a test gives up on an event that should have happened at once


def test_jobs_run_in_turn_on_the_worker_not_the_caller() -> None:
    queue = ChartQueue(size=4)
    ran: list[tuple[int, str]] = []
    for n in range(3):
        assert queue.offer(lambda n=n: ran.append((n, threading.current_thread().name)))
    queue.wait_idle()
    assert [n for n, _ in ran] == [0, 1, 2]
    assert {name for _, name in ran} == {"charts"}
    assert threading.current_thread().name != "charts"
    queue.stop()


def test_a_full_queue_skips_the_chart_and_keeps_the_rest() -> None:
    queue = ChartQueue(size=2)
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []

    def slow() -> None:
        started.set()
        assert release.wait(WAIT)
        ran.append("slow")

    assert queue.offer(slow)
    assert started.wait(WAIT)  # the worker is drawing it: the queue is empty again
    assert queue.offer(lambda: ran.append("first"))
    assert queue.offer(lambda: ran.append("second"))
    assert not queue.offer(lambda: ran.append("skipped"))  # two wait already: the bound
    release.set()
    queue.wait_idle()
    assert ran == ["slow", "first", "second"]
    assert queue.offer(lambda: ran.append("later"))  # room again once drawn
    queue.stop()
    assert ran[-1] == "later"


def test_a_failing_job_costs_only_itself(caplog: pytest.LogCaptureFixture) -> None:
    queue = ChartQueue(size=2)
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("no fonts")

    assert queue.offer(broken)
    assert queue.offer(lambda: ran.append("next"))
    queue.stop()
    assert ran == ["next"]
    assert "a chart job failed" in caplog.text


def test_stop_ends_the_worker_after_the_queued_jobs() -> None:
    queue = ChartQueue(size=2, name="charts-stop-test")
    done = threading.Event()
    assert queue.offer(done.set)
    queue.stop()
    assert done.is_set()
    assert "charts-stop-test" not in {t.name for t in threading.enumerate()}
    queue.stop()  # twice is harmless


def test_charts_are_drawn_one_at_a_time_in_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.figure import Figure

    held: list[bool] = []
    savefig = Figure.savefig

    def watched(self: Figure, *args: object, **kwargs: object) -> None:
        held.append(charts.DRAWING.locked())
        savefig(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", watched)
    config = parse_config(sample_text())
    months = [Month(2026, m) for m in range(1, 4)]
    trend = Trend(months, [TrendSeries(config.kpis[0], [Decimal(1), None, Decimal(3)],
                                       [Decimal(2)] * 3)])
    assert charts.trend_png(trend, "en", "Revenue").startswith(b"\x89PNG")
    assert held == [True]  # the digest's job and /kpi's worker never draw at once
    assert not charts.DRAWING.locked()
