"""Shared set-up of the benchmark scripts (bench/*.py): Django, and a throwaway database."""
