"""Start the web app: ``python app.py [--index index] [--host 127.0.0.1] [--port 7860]``."""

from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    """Parse the options and serve the app (binds 127.0.0.1 unless ``--host`` says otherwise)."""
    parser = argparse.ArgumentParser(description="Who said what: the news quotes assistant in your browser.")
    parser.add_argument("--index", type=Path, default=Path("index"), help="index folder (built from the sample on first run)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    args = parser.parse_args(argv)

    from assistant.webapp import launch

    launch(index_dir=args.index, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
