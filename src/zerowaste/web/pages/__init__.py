"""The web pages, one module per area: home, firms, catalog, sign-in."""
