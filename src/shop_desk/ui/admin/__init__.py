"""Administration: staff, teams, catalogues, settings, and backups."""
