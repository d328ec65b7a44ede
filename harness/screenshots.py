"""Screenshots of the app as a student sees it: the README's picture, and every page at three sizes.

python -m harness.screenshots                  # assets/screenshot-explore.png, today's first screen at 1280 x 720
python -m harness.screenshots --all DIR        # also every page at 1280x720, 1400x1000 and 390x844 into DIR
"""

import argparse
from pathlib import Path

from harness.app import ROOT, chromium, open_app, streamlit_server, wait_drawn

README_PICTURE = ROOT / "assets" / "screenshot-explore.png"
SIZES = {"projector": (1280, 720), "desktop": (1400, 1000), "phone": (390, 844)}
PAGES = {  # what a class opens, by name: the path and query of each
    "explore": "/?sample=7+-+drawn+with+a+pen",
    "explore-unclear": "/?sample=4+-+written+unclearly&view=decision",
    "present": "/present?stage=1",
    "teach": "/teach",
    "train": "/train",
    "mistakes": "/mistakes",
    "sandbox": "/sandbox",
}


def shoot(browser, url: str, path: Path, width: int, height: int, full_page: bool = False) -> None:
    """One page at one size, once Streamlit has finished drawing it."""
    page = open_app(browser, url, width=width, height=height)
    wait_drawn(page)
    page.screenshot(path=str(path), full_page=full_page)
    page.context.close()


def main() -> None:
    """Write the README's picture and, with --all, every page at every size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", type=Path, metavar="DIR", help="also every page at every size, into DIR")
    args = parser.parse_args()
    with streamlit_server() as url, chromium() as browser:
        shoot(browser, url + PAGES["explore"], README_PICTURE, *SIZES["projector"])
        print(README_PICTURE)
        if args.all:
            args.all.mkdir(parents=True, exist_ok=True)
            for name, query in PAGES.items():
                for size, (width, height) in SIZES.items():
                    path = args.all / f"{name}-{size}.png"
                    shoot(browser, url + query, path, width, height, full_page=size == "phone")
                    print(path)


if __name__ == "__main__":
    main()
