"""Copy the front-end files VIK serves from node_modules (installed by `npm ci` from the lock
file) into static/vendor/, which whitenoise serves. No CDN: VIK runs on closed networks."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NM = ROOT / "node_modules"
OUT = ROOT / "static" / "vendor"
FILES = {
    "utrecht/component-library.css": "@utrecht/component-library-css/dist/index.css",
    "utrecht/design-tokens.css": "@utrecht/design-tokens/dist/index.css",
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "axe.min.js": "axe-core/axe.min.js",
    "Sortable.min.js": "sortablejs/Sortable.min.js",
}


def main() -> int:
    missing = [src for src in FILES.values() if not (NM / src).exists()]
    if missing:
        print("Missing front-end files (run `npm ci`):", ", ".join(missing), file=sys.stderr)
        return 1
    for dest, src in FILES.items():
        target = OUT / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NM / src, target)
    print(f"vendored {len(FILES)} front-end files into {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
