"""Driving the real app from outside, for the tests and the benchmarks: a server, Chromium, a websocket tab."""
