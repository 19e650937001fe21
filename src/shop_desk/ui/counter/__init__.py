"""The accessory counter desk (配件零售): sales over the counter, exchanges and returns, and
the products sent in for repair. :mod:`~shop_desk.ui.counter.pages` registers the page."""
