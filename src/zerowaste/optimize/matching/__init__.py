"""Resource matching: candidate graph, min-cost-flow and blending allocation, explanations."""
