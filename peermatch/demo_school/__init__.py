"""The demo school: synthetic pupils, staff accounts, a published programme and weeks of activity, built through
the services (never the repositories directly), so the demo exercises the same code a real school does."""
