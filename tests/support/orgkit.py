"""Large organizations for fan-out tests and benchmarks: the sample, with many departments."""

from __future__ import annotations

from tests.support.botkit import sample_text


def manager(n: int) -> str:
    """The Slack user id of department ``n``'s manager."""
    return f"U1{n:06d}"


def many_departments_text(count: int) -> str:
    """The sample configuration with ``count`` flat departments, one manager each."""
    lines = ["departments:"]
    lines += [f"  - {{key: dept-{n:05d}, name: Department {n}, manager: {manager(n)}, "
              f"kpis: [revenue]}}" for n in range(count)]
    text = sample_text()
    head, _, rest = text.partition("departments:")
    tail = rest[rest.index("\ntargets:"):]
    targets = "\ntargets:\n  - {kpi: churn_rate, max: 3.0}\n"
    return head + "\n".join(lines) + targets + tail[tail.index("\nrules:"):]
