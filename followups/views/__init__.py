"""The staff workspace's views: thin, they parse input, check access through
``followups.access`` and call services or versioned forms."""
