"""The Streamlit dashboard for what-if work (see ``ccplan dashboard``)."""

__all__: list[str] = []
