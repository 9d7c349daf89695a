"""Streamlit-only helpers: session-state keys, shared components, i18n glue. Pages import from here."""
