"""The guided lesson: lessons as small TOML files, the questions their steps ask, the real runs that answer them."""
