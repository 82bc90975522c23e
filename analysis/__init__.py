"""Who-said-what analysis of news articles: loaders → NLP → extractors → store → queries.

This package holds no Streamlit code: the dashboard's pages call `analysis.queries`.
"""
