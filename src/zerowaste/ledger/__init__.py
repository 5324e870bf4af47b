"""The ledger engine: canonical JSON, signatures, RFC 9162 Merkle tree, proofs, checkpoints."""
