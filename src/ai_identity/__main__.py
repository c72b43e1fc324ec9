from ai_identity.cli import main
import sys
sys.exit(main())
