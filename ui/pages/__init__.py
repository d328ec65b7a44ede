"""Parts of one page each (the page scripts themselves are in pages/): Lesson, Teach, Train, Mistakes."""
