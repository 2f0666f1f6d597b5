"""Where templates and static files come from, and the one Jinja environment.

Lookup order, the same for templates and static files:
  1. the site's overrides: <content>/theme/templates/ and <content>/theme/static/
  2. the active theme: <site root>/themes/<name>/ (beside the content folder), else a built-in theme
  3. the built-in default theme, for anything the active theme does not have
An override can extend the template it replaces: {% extends "theme:base.html" %}.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from site_builder.build_cache import cache_folder
from site_builder.errors import ThemeError
from site_builder.models import SiteConfig

_PACKAGE_DIR = Path(__file__).resolve().parent
# Installed wheels carry the themes inside the package; a source checkout has them beside it.
BUILTIN_THEMES = next(
    (p for p in (_PACKAGE_DIR / "themes", _PACKAGE_DIR.parent / "themes") if (p / "default").is_dir()),
    _PACKAGE_DIR / "themes",
)


@dataclass(frozen=True)
class Theme:
    name: str
    override_dir: Path  # the site's own theme folder (may not exist)
    theme_dirs: tuple[Path, ...]  # active theme first, then the default theme

    def template_dirs(self) -> list[Path]:
        return [d / "templates" for d in self.theme_dirs]

    def static_dirs(self) -> list[Path]:
        """Highest priority first."""
        return [d / "static" for d in (self.override_dir, *self.theme_dirs)]

    @property
    def builtin_only(self) -> bool:
        """Whether every template comes from site-builder's own themes (no override, no theme
        folder of the site's)."""
        return (not (self.override_dir / "templates").is_dir()
                and all(d.resolve().is_relative_to(BUILTIN_THEMES.resolve()) for d in self.theme_dirs))

    def watched_dirs(self) -> list[Path]:
        return [d for d in (self.override_dir, *self.theme_dirs) if d.is_dir()]


def find_theme(config: SiteConfig) -> Theme:
    name = config.theme
    candidates = [config.root.parent / "themes" / name, BUILTIN_THEMES / name]
    active = next((c for c in candidates if (c / "templates").is_dir()), None)
    if active is None:
        raise ThemeError(
            f"{config.root / 'site.yaml'}: theme '{name}' not found (looked in "
            f"{candidates[0]} and the built-in themes); set 'theme: default' or add the theme folder"
        )
    default = BUILTIN_THEMES / "default"
    dirs = (active,) if active.resolve() == default.resolve() else (active, default)
    return Theme(name=name, override_dir=config.root / "theme", theme_dirs=dirs)


def make_environment(theme: Theme) -> jinja2.Environment:
    """One environment for the whole build: autoescape on, undefined names fail."""
    # utf-8-sig: a template saved with a byte-order mark (Windows editors) does not put it in pages
    theme_loader = jinja2.FileSystemLoader([str(d) for d in theme.template_dirs()], encoding="utf-8-sig")
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(theme.override_dir / "templates"), encoding="utf-8-sig"),
            jinja2.PrefixLoader({"theme": theme_loader}, delimiter=":"),
            theme_loader,
        ]
    )
    return jinja2.Environment(
        loader=loader,
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs; Jinja checks each against its template's source.
    The built-in themes' templates are kept beside them, as Python keeps its .pyc files (part of
    the installation: emptying the user's cache does not make a build compile them again); a
    site's own templates in the user's cache. A cache that cannot be written only costs time."""

    def get_bucket(self, environment, name, filename, source):
        bucket = jinja2.bccache.Bucket(environment, self.get_cache_key(name, filename),
                                       self.get_source_checksum(source))
        bucket.builtin = bool(filename) and filename.startswith(str(BUILTIN_THEMES) + os.sep)
        self.load_bytecode(bucket)
        return bucket

    def _get_cache_filename(self, bucket: jinja2.bccache.Bucket) -> str:
        folder = _builtin_cache_folder() if getattr(bucket, "builtin", False) else None
        return os.path.join(folder or self.directory, self.pattern % (bucket.key,))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.lru_cache(maxsize=1)
def _builtin_cache_folder() -> str | None:
    """site_builder/__pycache__/templates/ when it can be written, else None."""
    folder = _PACKAGE_DIR / "__pycache__" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return str(folder) if os.access(folder, os.W_OK) else None


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = cache_folder() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder))


def static_files(theme: Theme) -> dict[str, Path]:
    """Output-relative path -> source file; an override hides the theme's file of the same name."""
    found: dict[str, Path] = {}
    for folder in reversed(theme.static_dirs()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))
