"""Execute every notebook in this folder headless; exit non-zero if any cell fails.

    python notebooks/run_all.py            # execute (outputs are kept in memory, not written)
    python notebooks/run_all.py --check    # only check that committed notebooks carry no outputs

The notebooks find oilcorr through OILCORR_BIN (default: target/release/oilcorr, then PATH) and the
config through OILCORR_CONFIG (default: the project's oilcorr.toml).
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def stripped(nb) -> list[str]:
    """Cells that still carry outputs or execution counts."""
    return [
        f"cell {i}"
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]


def main() -> int:
    notebooks = sorted(HERE.glob("*.ipynb"))
    if not notebooks:
        print("no notebooks found", file=sys.stderr)
        return 1
    failed = 0
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        dirty = stripped(nb)
        if dirty:
            print(f"{path.name}: outputs committed in {', '.join(dirty)} (strip them)", file=sys.stderr)
            failed += 1
            continue
        if "--check" in sys.argv:
            continue
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
        try:
            client.execute()
        except Exception as e:  # nbclient raises CellExecutionError with the cell's traceback
            print(f"{path.name}: FAILED\n{e}", file=sys.stderr)
            failed += 1
            continue
        print(f"{path.name}: ok ({len(nb.cells)} cells)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
