"""The demo school: synthetic pupils, staff accounts, a published programme and weeks of activity.

``seed`` builds the school (pupils from ``peermatch.demo``, accounts, login cards); ``activity`` runs its
programme (matching, training attempts, check-ins, a second level round). Built through the services, so
the demo exercises the code a real school uses. It sits above the services and below the command line in
the layers (``pyproject.toml``); nothing in the app imports it.
"""
