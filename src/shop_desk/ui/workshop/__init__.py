"""The workshop supervisor's board (车间看板), its cards, and the workshop TV display."""
