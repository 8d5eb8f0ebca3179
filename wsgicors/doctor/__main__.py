"""``python -m wsgicors.doctor URL --origin ORIGIN [options]``."""

from .cli import main

raise SystemExit(main())
