"""Privacy: consent, PII detection and redaction, pseudonymisation, differential privacy, erasure, audit."""
