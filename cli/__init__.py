"""The one `lawshelf` command, above the whole stack: it may call every layer, none calls it."""
