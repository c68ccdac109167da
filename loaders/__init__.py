"""Reading, validating and loading CSV datasets; synthetic data generation."""
