"""Speed and memory measurements, run on demand with `make bench` (never part of `make test`)."""
