"""The frame every desk works in: main window and navigation, sign-in, search, print preview, signature pad, and the widgets, models and form loading the desks share."""
