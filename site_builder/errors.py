"""Errors a user can cause. Each one prints as a single line: place, problem, fix."""

from __future__ import annotations

from pathlib import Path


def one_line(text: str) -> str:
    """User text quoted inside a message must not break the message over lines."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class SiteError(Exception):
    """Any problem with the user's site that stops a build."""

    def __str__(self) -> str:
        return one_line(str(self.args[0])) if self.args else "site error"


class ContentError(SiteError):
    """A problem inside one content file, with the line when it is known."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, field: str = ""):
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message
        self.field = field  # the front-matter field at fault ('links.pdf' for one link), when known

    def __str__(self) -> str:
        place = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return one_line(f"{place}: {self.message}")


class ConfigError(SiteError):
    """One or more problems in site.yaml, reported together."""

    def __init__(self, path: Path | str, problems: list[str]):
        super().__init__("; ".join(problems))
        self.path = Path(path)
        self.problems = problems

    def __str__(self) -> str:
        return one_line(f"{self.path}: " + "; ".join(self.problems))


class ThemeError(SiteError):
    """A missing theme, or a template that fails to load or render."""


class ManyErrors(SiteError):
    """Several content errors found in one pass; the first few are shown."""

    def __init__(self, errors: list[SiteError]):
        super().__init__(str(errors[0]))
        self.errors = errors

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors[:20]]
        if len(self.errors) > 20:
            lines.append(f"... and {len(self.errors) - 20} more errors")
        return "\n".join(lines)
