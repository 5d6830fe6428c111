import sys

from kling_studio.cli.main import main

sys.exit(main())
