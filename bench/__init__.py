"""Benchmark: cost per poll of this integration at scale, beside Home Assistant's `rest`.

`python -m bench` (or `script/bench`) runs it; `python -m bench --help` says how.
"""
