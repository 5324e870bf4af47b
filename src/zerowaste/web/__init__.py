"""Server-rendered, bilingual web pages (Jinja2), every asset served by the app itself."""
