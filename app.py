"""`python app.py`: the chat UI, JSON API and widget on 127.0.0.1:7860 (BRIEFBOT_HOST/PORT).

The same as `briefbot serve --ingest-samples`: an empty store is first filled with samples/, so a
newcomer has articles to ask about. Flags of `briefbot serve` pass through (e.g. --port 8000).
"""

import sys

from bot.surfaces.cli import main

if __name__ == "__main__":
    main(["serve", "--ingest-samples", *sys.argv[1:]], prog_name="app.py")
