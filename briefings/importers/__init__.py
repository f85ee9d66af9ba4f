"""Importers of official data files. Commands and admin pages call them; none re-implements them."""
