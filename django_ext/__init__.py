"""Django app on the wsgicors core (see README)."""
