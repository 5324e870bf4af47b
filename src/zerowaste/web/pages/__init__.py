"""The web pages, one module per area: home, firms and their forms, catalog, accounts."""
