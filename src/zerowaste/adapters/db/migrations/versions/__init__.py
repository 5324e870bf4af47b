"""Migration scripts, applied in order by `zerowaste db upgrade`."""
