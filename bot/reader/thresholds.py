"""Support thresholds for the reader's verification, fit on dev + dev2 by `python -m bot.reader.fit` (see that module for how)."""

MIN_OVERLAP = 0.6
MIN_SIMILARITY = 0.375
