"""convanim scenes."""
