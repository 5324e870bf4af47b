"""REST routes, one module per capability, each route declaring its access rule."""
