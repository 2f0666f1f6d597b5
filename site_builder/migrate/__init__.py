"""`site-builder migrate`: adapters for al-folio, academicpages and Hugo Blox sites, one writer."""
