"""A class together: join codes, questions asked before a reveal, and the store every replica shares."""
