"""Screenshot staging: sample screens made for the README and for looking at the windows."""
