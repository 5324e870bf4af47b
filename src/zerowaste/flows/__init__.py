"""Material-flow analysis: systems of processes and flows, data reconciliation, substances."""
