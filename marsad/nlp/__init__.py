"""Arabic language processing: pure functions over strings, no I/O."""
