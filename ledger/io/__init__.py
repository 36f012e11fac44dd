"""Files in and out: one module per file layout (ours, Fatebook, the seed TOML), the exporter and the importer."""
