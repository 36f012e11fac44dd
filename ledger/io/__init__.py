"""Files in and out: one module per file layout (ours, Fatebook, Manifold, Metaculus, PredictionBook, the seed TOML), the exporter, the importer, and layouts.py choosing between them."""
