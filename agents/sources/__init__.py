"""Where articles come from: RSS/Atom feeds, folders of text files, JSONL archives."""
