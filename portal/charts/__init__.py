"""Server-made SVG charts with Chinese labels: one chart serves the web page and the PDF (see figures.py)."""
