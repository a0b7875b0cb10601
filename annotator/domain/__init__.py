"""Pure-Python domain logic: plain values in, plain values out. Never imports Django."""
