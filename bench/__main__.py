"""`python -m bench`: run the benchmark."""

import sys

from bench.run import main

sys.exit(main())
