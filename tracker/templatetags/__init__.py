"""Template libraries of the project package; ``jalali`` is loaded as a builtin."""
