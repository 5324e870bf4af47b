"""Forecasts: 1,000 firm series (36 months each) through ours, beside raw statsforecast.

Figures, in one run on the same synthetic series (seasonal, trending, noisy; one in ten
intermittent with many zero months, as small generators are):
(a) the one-off cost of importing statsforecast (numba), paid on the first forecast;
(b) ours: `forecast_many` — the model-choosing backtest (3 origins, 3 months ahead, every
    model refitted per origin) and the 12-month forecast with 80/95 % intervals, per series;
(c) raw statsforecast: the same four models' 12-month forecast alone (no backtest), the
    floor of what any forecast with model choice costs;
(d) how often each model won the backtest.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
import time
import warnings
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import parse_args, report  # noqa: E402
from zerowaste.evaluation.forecast import (  # noqa: E402
    MonthlySeries,
    _frame,
    _models,
    forecast_many,
)

#: (series, months, horizon).
FULL = (1000, 36, 12)
SMOKE = (4, 30, 6)
SEED = 2026


def firm_series(count: int, months: int) -> list[MonthlySeries]:
    """Synthetic monthly tonnes: level × (trend + season) + noise; every tenth intermittent."""
    rng = random.Random(SEED)
    found = []
    for i in range(count):
        level = rng.uniform(1, 100)
        amplitude, trend = rng.uniform(0, 0.3), rng.uniform(-0.005, 0.01)
        values = []
        for m in range(months):
            mean = level * (1 + trend * m + amplitude * math.sin(2 * math.pi * (m + i) / 12))
            value = max(0.0, rng.gauss(mean, 0.1 * level))
            if i % 10 == 0 and rng.random() < 0.6:
                value = 0.0
            values.append(round(value, 3))
        found.append(MonthlySeries(f"firm-{i}", date(2023, 1, 1), tuple(values)))
    return found


def import_seconds() -> float:
    """Seconds a fresh interpreter takes to import statsforecast and its models."""
    code = (
        "import time; t = time.perf_counter(); import statsforecast.models; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    args = parse_args(__doc__ or "")
    count, months, horizon = SMOKE if args.smoke else FULL
    series = firm_series(count, months)
    figures: dict[str, Any] = {"series": count, "months": months, "horizon": horizon}
    figures["import_statsforecast_s"] = round(import_seconds(), 3)
    from statsforecast import StatsForecast

    started = time.perf_counter()
    results = forecast_many(series, horizon, (80, 95))
    ours = time.perf_counter() - started
    figures["ours_forecast_many"] = {
        "seconds": round(ours, 3),
        "ms_per_series": round(1000 * ours / count, 2),
        "includes": "backtest of every model (3 origins x 3 months) + forecast with intervals",
    }
    engine = StatsForecast(models=_models(seasonal=True), freq="MS")
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        raw = engine.forecast(df=_frame(series), h=horizon, level=[80, 95])
    bare = time.perf_counter() - started
    figures["raw_statsforecast_forecast"] = {
        "seconds": round(bare, 3),
        "ms_per_series": round(1000 * bare / count, 2),
        "rows": len(raw),
    }
    figures["ours_over_raw"] = round(ours / bare, 2) if bare else None
    figures["chosen"] = dict(Counter(r.backtest.chosen for r in results).most_common())
    mae = [r.backtest.of(r.backtest.chosen).mae for r in results]
    figures["chosen_mae_t_median"] = round(sorted(mae)[len(mae) // 2], 3)
    report("bench_forecast", figures, args.json)


if __name__ == "__main__":
    main()
