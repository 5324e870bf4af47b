"""The REST API under /api/v1: routes, authentication, Problem Details, idempotency."""
