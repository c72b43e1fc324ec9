"""Feature extraction: cleaning, normalising, resume parsing."""
