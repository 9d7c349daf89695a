"""PeerMatch: peer-tutoring matchmaking and training for Dutch schools (the domain core).

This package never imports Streamlit; it runs under plain pytest and the ``peermatch`` command.
"""

__version__ = "0.1.0"
