"""``python -m shop_desk`` runs the same command as the ``shop-desk`` script."""

from shop_desk.cli import main

raise SystemExit(main())
