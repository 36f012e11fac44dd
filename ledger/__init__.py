"""A ledger of forecasts made in the news: record, resolve and score them."""

__version__ = "0.1.0"
