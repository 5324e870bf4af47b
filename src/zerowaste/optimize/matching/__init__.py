"""Resource matching: candidate graph, min-cost-flow and blending allocation, explanations."""

from zerowaste.optimize.matching.allocate import allocate
from zerowaste.optimize.matching.candidates import CandidateGraph, build_candidates
from zerowaste.optimize.matching.lp import LpSolution, solve_lp
from zerowaste.optimize.matching.recommend import Recommendations, recommend

__all__ = [
    "CandidateGraph",
    "LpSolution",
    "Recommendations",
    "allocate",
    "build_candidates",
    "recommend",
    "solve_lp",
]
