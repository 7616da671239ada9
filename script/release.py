"""Build the integration's release zip, as the release workflow attaches it to a GitHub release.

    python3 script/release.py v0.2.0                  # writes dist/antspace.zip
    python3 script/release.py v0.2.0 --output DIR     # writes DIR/antspace.zip

The zip holds the contents of custom_components/antspace (HACS unpacks it into
custom_components/antspace/), with the manifest's version set from the tag (a leading "v" is
dropped), and none of what a working copy gathers: no __pycache__, compiled files, tool
caches, hidden files or tests. Its file name is the one hacs.json gives as `filename`. Entries
are sorted and dated 1980-01-01, so the same tree and version always give the same bytes.

When GITHUB_OUTPUT names a file (in a GitHub workflow), `zip=<path>` is appended to it. Uses
the standard library only, so any Python 3.14 runs it without the project's environment.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
import hashlib
import json
import os
from pathlib import Path
import re
import sys
import zipfile

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "antspace"

VERSION = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)((a|b|rc)(0|[1-9]\d*)|-[0-9A-Za-z.-]+)?$"
)
"""A release version: 1.2.3, with an optional pre-release part (1.2.3b1, 1.2.3-rc.1)."""

LEFT_OUT_DIRS = frozenset({"__pycache__", "tests", "test"})
LEFT_OUT_SUFFIXES = frozenset({".pyc", ".pyo", ".orig", ".rej", ".swp"})
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ReleaseError(Exception):
    """The release cannot be built as asked."""


def version_from_tag(tag: str) -> str:
    """The manifest version a release tag stands for."""
    version = tag.strip().removeprefix("v")
    if not VERSION.match(version):
        raise ReleaseError(f"tag {tag!r} is not a version such as v1.2.3 or 1.2.3b1")
    return version


def zip_name(root: Path) -> str:
    """The zip's file name, as hacs.json names it."""
    hacs = json.loads((root / "hacs.json").read_text(encoding="utf-8"))
    if not hacs.get("zip_release") or not hacs.get("filename"):
        raise ReleaseError("hacs.json sets no zip_release and filename")
    name = str(hacs["filename"])
    if "/" in name or not name.endswith(".zip"):
        raise ReleaseError(f"hacs.json filename {name!r} is not a plain .zip file name")
    return name


def released_files(source: Path) -> Iterator[Path]:
    """The integration's files that go into the zip, sorted, relative to `source`."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        parts = relative.parts
        if any(part.startswith(".") or part in LEFT_OUT_DIRS for part in parts):
            continue
        if path.is_file() and path.suffix not in LEFT_OUT_SUFFIXES:
            yield relative


def changelog_versions(root: Path) -> list[str]:
    """The released versions CHANGELOG.md has a section for, newest first."""
    changelog = root / "CHANGELOG.md"
    if not changelog.is_file():
        return []
    text = changelog.read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d[^\]]*)\]", text, flags=re.MULTILINE)


def build(tag: str, output: Path, root: Path = ROOT) -> Path:
    """Write the release zip for `tag` into `output`; return its path."""
    version = version_from_tag(tag)
    source = root / "custom_components" / DOMAIN
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("domain") != DOMAIN:
        raise ReleaseError(f"{source / 'manifest.json'} is not the {DOMAIN} manifest")
    if manifest.get("version") != version:
        print(
            f"release: note: the repository's manifest says {manifest.get('version')}; "
            f"the zip says {version}"
        )
    if version not in changelog_versions(root):
        print(f"release: note: CHANGELOG.md has no section for {version}")
    manifest["version"] = version

    output.mkdir(parents=True, exist_ok=True)
    target = output / zip_name(root)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in released_files(source):
            if relative == Path("manifest.json"):
                data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
            else:
                data = (source / relative).read_bytes()
            info = zipfile.ZipInfo(relative.as_posix(), date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: build the zip, print its path and SHA-256."""
    parser = argparse.ArgumentParser(
        prog="script/release.py", description="Build the integration's release zip."
    )
    parser.add_argument("tag", help="the release tag, e.g. v0.2.0 (sets the manifest version)")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "dist", help="directory for the zip (dist/)"
    )
    args = parser.parse_args(argv)
    try:
        target = build(args.tag, args.output)
    except ReleaseError as err:
        print(f"release: error: {err}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    with zipfile.ZipFile(target) as archive:
        count = len(archive.namelist())
    print(f"release: {target} ({count} files, sha256 {digest})")
    if github_output := os.environ.get("GITHUB_OUTPUT"):
        with Path(github_output).open("a", encoding="utf-8") as out:
            out.write(f"zip={target}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
