"""Marsad (مرصد): a streaming observatory for Arabic news."""

__version__ = "0.1.0"
