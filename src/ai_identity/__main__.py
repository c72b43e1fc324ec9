import sys

from ai_identity.cli import main

sys.exit(main())
