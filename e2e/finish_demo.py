"""For scripts/render-documents: takes the demo city's database in WORKDIR/x.sqlite on until it holds
a document of every kind — the records the demo lacks (a 专题报告 of 一巡双报告, the unit's two
rectification reports, a graded evaluation, a 专题报告 sent to a department) made through the API as
their roles would, exactly as the browser tests make them.

    python3 e2e/finish_demo.py WORKDIR        (XUNCHA_BIN names the binary)"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_browser import Server  # noqa: E402
from test_chain_documents import chain_documents  # noqa: E402


def main() -> None:
    workdir = Path(sys.argv[1])
    server = Server(os.environ.get("XUNCHA_BIN", ".build/debug/xuncha"), workdir)
    try:
        server.wait_until_healthy()
        chain_documents(server)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
