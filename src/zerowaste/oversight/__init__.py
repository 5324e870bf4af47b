"""The pure oversight engine: rules, findings, risk scores, whitelist and inspection draws."""
