"""Benchmarks: Briefbot against the LangChain tutorial pipeline on the same generated corpus."""
