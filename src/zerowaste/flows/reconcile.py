"""Data reconciliation by weighted least squares, as STAN does it (Cencic & Rechberger 2008).

The balances `A_m x + A_u y + c = 0` split the variables into measured `x` (covariance Σ,
diagonal from the standard deviations), unknown `y` and exact constants `c` (sd 0). The
unknowns are eliminated by projecting onto the null space of `A_uᵀ` (the last columns `Q₂` of
a full, column-pivoted QR of `A_u`): `P = Q₂ᵀ A_m`, `q = Q₂ᵀ c`; dependent rows of `P` are
dropped by an SVD.
The measurements are then moved the least, in the metric Σ⁻¹, to satisfy `P x + q = 0`:

    x̂ = x − Σ Pᵀ (P Σ Pᵀ)⁻¹ (P x + q),    Σ̂ = Σ − Σ Pᵀ (P Σ Pᵀ)⁻¹ P Σ,

and the unknowns follow from `A_u y = −(A_m x̂ + c)` by least squares; an unknown is
determinable only if its unit vector lies in the row space of `A_u`. The global test compares
`rᵀ (P Σ Pᵀ)⁻¹ r` (`r = P x + q`) with χ² of `rank P` degrees of freedom (the redundancy); the
measurement test divides each adjustment by its own standard deviation `√(Σ − Σ̂)ᵢᵢ` and
compares it with the normal quantile at the Šidák-corrected level `1 − (1 − α)^(1/n)` over the
`n` redundant measurements (Narasimhan & Jordache 2000, ch. 7, "Data Reconciliation & Gross
Error Detection").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from scipy import linalg, stats

from zerowaste.errors.flows import ReconciliationNotPossible
from zerowaste.flows.balance import Balances, Variable, VariableKind, balances
from zerowaste.flows.system import FlowSystem

#: Significance of the global and measurement tests unless the caller chooses another.
DEFAULT_ALPHA = 0.05
#: Relative tolerance of rank decisions (times the largest singular value).
RANK_TOLERANCE = 1e-10


@dataclass(frozen=True, slots=True)
class ReconciledVariable:
    """One variable after reconciliation.

    `measured` and `sd` are as given (None for unknowns); `value` and `reconciled_sd` after
    reconciliation (None for an unknown the balances do not determine). `adjustment` is
    `value − measured`; `test_statistic` the adjustment over its own standard deviation (None
    when the measurement is not redundant, so cannot be adjusted); `suspect` marks a
    measurement failing the measurement test.
    """

    variable_id: str
    kind: VariableKind
    label: str
    measured: float | None
    sd: float | None
    value: float | None
    reconciled_sd: float | None
    redundant: bool
    determinable: bool
    adjustment: float | None = None
    test_statistic: float | None = None
    suspect: bool = False

    @property
    def is_unknown(self) -> bool:
        """Whether the variable was not measured."""
        return self.measured is None


@dataclass(frozen=True, slots=True)
class ChiSquareTest:
    """The global test: statistic, degrees of freedom (the redundancy), p-value and verdict."""

    statistic: float
    degrees_of_freedom: int
    p_value: float
    alpha: float

    @property
    def passed(self) -> bool:
        """Whether the data are consistent with the balances at `alpha` (always with no df)."""
        return self.degrees_of_freedom == 0 or self.p_value >= self.alpha

    @property
    def critical_value(self) -> float | None:
        """The χ² quantile the statistic is compared with, None with no redundancy."""
        if self.degrees_of_freedom == 0:
            return None
        return float(stats.chi2.ppf(1 - self.alpha, self.degrees_of_freedom))


@dataclass(frozen=True)
class Reconciliation:
    """The reconciled system: every variable, the global test and the suspects it names."""

    system: FlowSystem
    variables: tuple[ReconciledVariable, ...]
    chi_square: ChiSquareTest
    measurement_critical_value: float | None
    covariance: NDArray[np.float64]

    @property
    def suspects(self) -> tuple[ReconciledVariable, ...]:
        """Measurements failing the measurement test, the most deviant first."""
        found = [v for v in self.variables if v.suspect]
        return tuple(sorted(found, key=lambda v: -(v.test_statistic or 0.0)))

    @property
    def undetermined(self) -> tuple[ReconciledVariable, ...]:
        """Unknowns the balances do not determine."""
        return tuple(v for v in self.variables if not v.determinable)

    @cached_property
    def _by_id(self) -> dict[str, ReconciledVariable]:
        return {v.variable_id: v for v in self.variables}

    def value(self, variable_id: str) -> float | None:
        """The reconciled value of a flow (by flow id) or stock change (`stock:<process>`).

        Raises:
            KeyError: No such variable.
        """
        return self._by_id[variable_id].value

    def variable(self, variable_id: str) -> ReconciledVariable:
        """One reconciled variable by id.

        Raises:
            KeyError: No such variable.
        """
        return self._by_id[variable_id]


def _rank(singular: NDArray[np.floating]) -> int:
    if singular.size == 0 or singular[0] == 0:
        return 0
    return int(np.sum(singular > RANK_TOLERANCE * singular[0]))


@dataclass(frozen=True, slots=True)
class _Unknowns:
    """The factorization of A_u: its left null space and how to solve for the unknowns."""

    null_left: NDArray[np.float64]
    pinv: NDArray[np.float64]
    determinable: NDArray[np.bool_]


def _factor_unknowns(a_u: NDArray[np.float64]) -> _Unknowns:
    """A rank-revealing (column-pivoted) QR of A_u; an SVD only when it is rank-deficient.

    With full column rank, `Q₂` (the last columns of the full Q) spans the null space of
    A_uᵀ and every unknown is determined: `y = R⁻¹ Q₁ᵀ b` (undoing the pivoting). Otherwise
    the SVD gives the same null space, the pseudo-inverse, and the unknowns whose unit
    vector lies outside the row space of A_u (those are not determinable).
    """
    rows, cols = a_u.shape
    if cols == 0:
        return _Unknowns(np.eye(rows), np.zeros((0, rows)), np.zeros(0, dtype=bool))
    q, r, perm = linalg.qr(a_u, mode="full", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int(np.sum(diagonal > RANK_TOLERANCE * diagonal[0])) if diagonal[0] > 0 else 0
    if rank == cols:
        solved = linalg.solve_triangular(r[:cols, :cols], q[:, :cols].T)
        pinv = np.empty_like(solved)
        pinv[perm] = solved
        return _Unknowns(np.asarray(q[:, cols:], dtype=np.float64), pinv, np.ones(cols, dtype=bool))
    u, singular, vt = np.linalg.svd(a_u, full_matrices=True)
    rank = _rank(singular)
    pinv = vt[:rank].T @ (u[:, :rank] / singular[:rank]).T
    determinable = np.abs(vt[rank:]).max(axis=0, initial=0.0) <= 1e-8
    return _Unknowns(u[:, rank:], pinv, determinable)


def reconcile(
    system: FlowSystem, *, alpha: float = DEFAULT_ALPHA, allow_undetermined: bool = False
) -> Reconciliation:
    """Reconcile `system`'s measurements with its balances and compute its unknowns.

    Args:
        system: The system.
        alpha: Significance of the global χ² test and the measurement tests.
        allow_undetermined: Return unknowns the balances leave open as undetermined (value
            None) instead of refusing.

    Raises:
        ReconciliationNotPossible: Exact values (sd 0) contradict a balance, the measurements'
            covariance in the reduced balances is singular, or (unless `allow_undetermined`)
            some unknowns are not determined; the reason names the variables.
        ValueError: `alpha` is not in (0, 1).
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    eq = balances(system)
    return _solve(system, eq, alpha, allow_undetermined)


def _split(
    variables: tuple[Variable, ...],
) -> tuple[list[int], list[int], list[int]]:
    measured, unknown, exact = [], [], []
    for j, variable in enumerate(variables):
        if variable.measurement is None:
            unknown.append(j)
        elif variable.measurement.sd == 0:
            exact.append(j)
        else:
            measured.append(j)
    return measured, unknown, exact


def _solve(
    system: FlowSystem, eq: Balances, alpha: float, allow_undetermined: bool
) -> Reconciliation:
    a = eq.matrix
    m_idx, u_idx, c_idx = _split(eq.variables)
    x = np.array([eq.variables[j].measurement.value for j in m_idx])  # type: ignore[union-attr]
    sd = np.array([eq.variables[j].measurement.sd for j in m_idx])  # type: ignore[union-attr]
    exact = np.array([eq.variables[j].measurement.value for j in c_idx])  # type: ignore[union-attr]
    a_m, a_u = a[:, m_idx], a[:, u_idx]
    c = a[:, c_idx] @ exact if c_idx else np.zeros(a.shape[0])
    variance = sd**2
    sigma = np.diag(variance)

    unknowns = _factor_unknowns(a_u)
    p_full, q_full = unknowns.null_left.T @ a_m, unknowns.null_left.T @ c
    scale = max(1.0, float(np.abs(c).max(initial=0.0)), float(np.abs(x).max(initial=0.0)))
    if p_full.shape[0]:
        u, singular, _ = np.linalg.svd(p_full, full_matrices=False)
        rank = _rank(singular)
        basis = u[:, :rank]
        clash = q_full - basis @ (basis.T @ q_full)
        if float(np.abs(clash).max(initial=0.0)) > 1e-9 * scale:
            raise ReconciliationNotPossible(
                "the exact values (sd 0) contradict the balances whatever the measurements",
                field="flows",
            )
        p, q = basis.T @ p_full, basis.T @ q_full
    else:
        rank, p, q = 0, np.zeros((0, len(m_idx))), np.zeros(0)

    residual = p @ x + q
    if rank:
        sigma_pt = variance[:, None] * p.T
        try:
            factor = linalg.cho_factor(p @ sigma_pt)
        except linalg.LinAlgError:
            raise ReconciliationNotPossible(
                "the balances constrain only exact values: the measured covariance is singular",
                field="flows",
            ) from None
        weights = linalg.cho_solve(factor, residual)
        x_hat = x - sigma_pt @ weights
        adjust_cov = sigma_pt @ linalg.cho_solve(factor, sigma_pt.T)
        statistic = float(residual @ weights)
    else:
        x_hat, adjust_cov, statistic = x.copy(), np.zeros_like(sigma), 0.0
    cov_x = sigma - adjust_cov

    # Unknowns from the reconciled measurements: A_u y = −(A_m x̂ + c).
    determinable = unknowns.determinable
    if u_idx:
        y = -unknowns.pinv @ (a_m @ x_hat + c)
        map_y = -unknowns.pinv @ a_m
        cov_xy = cov_x @ map_y.T
        cov_y = map_y @ cov_xy
    else:
        y = np.zeros(0)
        cov_y = np.zeros((0, 0))
        cov_xy = np.zeros((len(m_idx), 0))
    if not allow_undetermined and not determinable.all():
        names = [eq.variables[u_idx[k]].variable_id for k in np.flatnonzero(~determinable)]
        raise ReconciliationNotPossible(
            "the balances do not determine the unknown(s) "
            + ", ".join(names)
            + ": measure one of them or a flow next to them",
            field="flows",
        )

    redundant = np.linalg.norm(p, axis=0) > 1e-9 if rank else np.zeros(len(m_idx), dtype=bool)
    n_redundant = int(redundant.sum())
    critical = (
        float(stats.norm.ppf(1 - (1 - (1 - alpha) ** (1 / n_redundant)) / 2))
        if n_redundant
        else None
    )
    chi = ChiSquareTest(
        statistic=statistic,
        degrees_of_freedom=rank,
        p_value=float(stats.chi2.sf(statistic, rank)) if rank else 1.0,
        alpha=alpha,
    )
    out: list[ReconciledVariable | None] = [None] * len(eq.variables)
    for k, j in enumerate(m_idx):
        var = eq.variables[j]
        adjustment = float(x_hat[k] - x[k])
        adj_sd = float(np.sqrt(max(adjust_cov[k, k], 0.0)))
        test = abs(adjustment) / adj_sd if redundant[k] and adj_sd > 0 else None
        out[j] = ReconciledVariable(
            var.variable_id,
            var.kind,
            var.label,
            float(x[k]),
            float(sd[k]),
            float(x_hat[k]),
            float(np.sqrt(max(cov_x[k, k], 0.0))),
            bool(redundant[k]),
            True,
            adjustment,
            test,
            bool(test is not None and critical is not None and test > critical),
        )
    for k, j in enumerate(u_idx):
        var = eq.variables[j]
        ok = bool(determinable[k])
        out[j] = ReconciledVariable(
            var.variable_id,
            var.kind,
            var.label,
            None,
            None,
            float(y[k]) if ok else None,
            float(np.sqrt(max(cov_y[k, k], 0.0))) if ok else None,
            False,
            ok,
        )
    for k, j in enumerate(c_idx):
        var = eq.variables[j]
        out[j] = ReconciledVariable(
            var.variable_id, var.kind, var.label, float(exact[k]), 0.0, float(exact[k]), 0.0,
            False, True, 0.0,
        )  # fmt: skip
    covariance = _full_covariance(len(eq.variables), m_idx, u_idx, cov_x, cov_y, cov_xy)
    variables = tuple(v for v in out if v is not None)
    return Reconciliation(system, variables, chi, critical, covariance)


def _full_covariance(
    n: int,
    m_idx: list[int],
    u_idx: list[int],
    cov_x: NDArray[np.float64],
    cov_y: NDArray[np.float64],
    cov_xy: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The covariance of every variable in system order (exact constants: zero)."""
    full = np.zeros((n, n))
    full[np.ix_(m_idx, m_idx)] = cov_x
    if u_idx:
        full[np.ix_(u_idx, u_idx)] = cov_y
        full[np.ix_(m_idx, u_idx)] = cov_xy
        full[np.ix_(u_idx, m_idx)] = cov_xy.T
    return full
