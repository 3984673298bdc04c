"""Demo-data tools, kept apart from the runtime: the seeded demo-history generator
(`python -m retrieval.demo.generate`, `make history`), its building blocks
(`history_builder`) and the six named customers of the demo stories (`customers`).

Nothing in the runtime modules of `retrieval` imports this package."""
