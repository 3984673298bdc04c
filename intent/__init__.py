"""Intent classifier: train, predict (intent, calibrated confidence, out-of-scope),
entities, sentiment, evaluate. Heavy imports live in the submodules."""
