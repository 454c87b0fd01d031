"""What a long-running process (a web process of `wangge serve`, `wangge worker`) sets up for itself once started."""

from __future__ import annotations

import gc

# Allocations (net) between two collections of the youngest generation; Python's default is 700.
GC_THRESHOLD = 100_000


def settle_garbage_collector() -> None:
    """For a serving process, once started: what the start made (modules, routes, the app) is set aside from
    collection (gc.freeze), and the collector runs after 100,000 allocations instead of 700. Under load, a request
    allocates thousands of objects (rows, models, dictionaries) that die with it; collecting every 700 walked the
    live ones of thirty requests in flight again and again. Measured (docs/benchmarks.md): the mixed load's p95 at
    125 requests/s from 550 to 310 ms, the rate sustained from about 150 to 200/s."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 50, 100)
