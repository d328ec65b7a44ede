"""Parts of one page each (the page scripts themselves are in pages/): presenter stages, Teach, Train, Mistakes."""
