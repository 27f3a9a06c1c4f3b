"""Helpers shared by keyguard's tests and benchmarks (and usable by plug-in authors)."""
