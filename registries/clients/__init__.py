"""One small client module per base registry."""
