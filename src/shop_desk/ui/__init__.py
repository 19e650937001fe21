"""The front-desk GUI (PySide6): login, main window shell, global search and admin pages.

Pages plug into the main window through :func:`shop_desk.ui.shell.main_window.register_page`.
Widgets never change data themselves: every change goes through a ``services`` function.
"""
