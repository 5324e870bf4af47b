"""The ledger engine: canonical JSON, Ed25519 signatures, RFC 9162 Merkle tree, proofs, checkpoints."""
