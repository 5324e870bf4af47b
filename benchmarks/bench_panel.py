"""Two-way fixed effects on a 1,000,000-row firm × year panel: ours beside pyfixest, linearmodels.

The panel: 52,632 firms × 20 years with 52,640 rows (5 %) dropped at random, leaving exactly
1,000,000 (unbalanced, so the demeaning must iterate);
y = 0.5·x1 − 0.25·x2 + firm effect + year effect + noise.
Every engine fits `y ~ x1 + x2 | firm + year` on the same frame in the same run:

- ours: `zerowaste.evaluation.panel.fit` (name checks, complete cases, pyfixest with a
  1e-10 demeaning tolerance, plain result), classical and CRV1-by-firm errors;
- raw `pyfixest.feols` with its defaults (demeaning tolerance 1e-6), the same two error types;
- `linearmodels.PanelOLS(entity_effects=True, time_effects=True)`, unadjusted and clustered
  by entity.

Each timing is the best of `REPEAT` runs after one warm-up fit (pyfixest's first call
compiles with numba). Coefficients of the three must agree to 1e-6; the run fails otherwise.
Parsing the same panel from CSV (what an import does) is timed as well.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import parse_args, report  # noqa: E402
from zerowaste.evaluation.dataset import Panel, parse_csv  # noqa: E402
from zerowaste.evaluation.panel import ModelSpec, fit  # noqa: E402

#: (firms, years, rows kept, repeats).
FULL = (52_632, 20, 1_000_000, 3)
SMOKE = (300, 10, 2_850, 1)
AGREEMENT = 1e-6
SEED = 2026


def simulate(firms: int, years: int, rows: int) -> pd.DataFrame:
    """The benchmark panel (see the module docstring)."""
    rng = np.random.default_rng(SEED)
    n = firms * years
    firm = np.repeat(np.arange(firms), years)
    year = np.tile(np.arange(2000, 2000 + years), firms)
    x1 = rng.normal(size=n) + 0.3 * rng.normal(size=firms)[firm]
    x2 = rng.normal(size=n) + 0.2 * (year - 2000) / years
    y = 0.5 * x1 - 0.25 * x2 + rng.normal(size=firms)[firm] + rng.normal(size=years)[year - 2000]
    y += rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "firm": pd.Series(firm).map(lambda i: f"F{i:06d}"),
            "city": pd.Series(firm % 300).map(lambda i: f"C{i:03d}"),
            "year": year,
            "y": y,
            "x1": x1,
            "x2": x2,
        }
    )
    keep = np.sort(rng.choice(n, size=rows, replace=False))
    return frame.iloc[keep].reset_index(drop=True)


def best(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The fastest of `repeat` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return round(min(times), 4), result


def main() -> None:
    """Simulate, fit with each engine, compare, report."""
    args = parse_args(__doc__ or "")
    firms, years, rows, repeat = SMOKE if args.smoke else FULL
    frame = simulate(firms, years, rows)
    panel = Panel(frame, ("y", "x1", "x2"))
    spec = ModelSpec("y", ("x1", "x2"), ("firm", "year"))
    clustered = ModelSpec("y", ("x1", "x2"), ("firm", "year"), cluster="firm")

    import pyfixest as pf
    from linearmodels.panel import PanelOLS

    warm_start = time.perf_counter()
    fit(Panel(frame.head(2000), panel.variables), spec)
    first_call = round(time.perf_counter() - warm_start, 4)

    ours_iid_s, ours_iid = best(lambda: fit(panel, spec), repeat)
    ours_crv_s, ours_crv = best(lambda: fit(panel, clustered), repeat)
    fml = "y ~ x1 + x2 | firm + year"
    raw_iid_s, raw_iid = best(lambda: pf.feols(fml, data=frame, vcov="iid"), repeat)
    raw_crv_s, raw_crv = best(lambda: pf.feols(fml, data=frame, vcov={"CRV1": "firm"}), repeat)
    indexed = frame.set_index(["firm", "year"])
    model = PanelOLS(indexed["y"], indexed[["x1", "x2"]], entity_effects=True, time_effects=True)
    lm_iid_s, lm_iid = best(lambda: model.fit(cov_type="unadjusted"), repeat)
    lm_crv_s, lm_crv = best(lambda: model.fit(cov_type="clustered", cluster_entity=True), repeat)
    csv_text = panel.to_csv()
    parse_s, parsed = best(lambda: parse_csv(csv_text), 1)

    ours = np.array([c.estimate for c in ours_iid.coefficients])
    raw = raw_iid.coef().loc[["x1", "x2"]].to_numpy()
    lm = lm_iid.params.loc[["x1", "x2"]].to_numpy()
    ours_se = np.array([c.se for c in ours_iid.coefficients])
    lm_se = lm_iid.std_errors.loc[["x1", "x2"]].to_numpy()
    differences = {
        "coef_ours_vs_pyfixest": float(np.max(np.abs(ours - raw))),
        "coef_ours_vs_linearmodels": float(np.max(np.abs(ours - lm))),
        "se_iid_ours_vs_linearmodels_relative": float(np.max(np.abs(ours_se / lm_se - 1))),
        "se_crv1_ours_vs_pyfixest_relative": float(
            np.max(
                np.abs(
                    np.array([c.se for c in ours_crv.coefficients])
                    / raw_crv.se().loc[["x1", "x2"]].to_numpy()
                    - 1
                )
            )
        ),
    }
    if max(differences["coef_ours_vs_pyfixest"], differences["coef_ours_vs_linearmodels"]) > (
        AGREEMENT
    ):
        raise SystemExit(f"engines disagree: {differences}")
    figures = {
        "rows": len(frame),
        "firms": firms,
        "years": years,
        "repeat": repeat,
        "first_call_s_including_jit": first_call,
        "fit_s": {
            "ours_iid": ours_iid_s,
            "ours_crv1_firm": ours_crv_s,
            "pyfixest_iid": raw_iid_s,
            "pyfixest_crv1_firm": raw_crv_s,
            "linearmodels_unadjusted": lm_iid_s,
            "linearmodels_clustered_entity": lm_crv_s,
        },
        "csv_parse_s": parse_s,
        "csv_rows": len(parsed.frame),
        "coefficients": {
            "ours": ours.round(8).tolist(),
            "ours_se_iid": ours_se.round(8).tolist(),
            "ours_se_crv1": [round(c.se, 8) for c in ours_crv.coefficients],
            "linearmodels_se_clustered": lm_crv.std_errors.loc[["x1", "x2"]].round(8).tolist(),
        },
        "differences": differences,
    }
    report("bench_panel", figures, args.json)


if __name__ == "__main__":
    main()
