"""Flask extension on the wsgicors core (see README)."""
