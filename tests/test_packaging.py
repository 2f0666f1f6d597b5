"""The wheel is complete: built from this checkout, installed into a fresh virtual environment with
its dependencies from the package index, it starts, builds and checks a new site far from the
source tree, so the default theme and the `init` skeleton must come from inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_installs_and_runs_init_new_build_check_on_its_own(tmp_path):
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", REPO, "-w", tmp_path / "dist",
        cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("site_builder-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for packaged in ("site_builder/themes/default/templates/base.html",
                     "site_builder/themes/default/static/assets/style.css",
                     "site_builder/skeleton/content/site.yaml",
                     "site_builder/skeleton/github/workflows/pages.yml",
                     "site_builder/skeleton/gitignore"):
        assert packaged in names, f"{packaged} is missing from {wheel.name}"

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", wheel, cwd=tmp_path)

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    tool = venv / "bin" / "site-builder"
    location = run(python, "-c", "import site_builder; print(site_builder.__file__)", cwd=tmp_path, env=env)
    assert Path(location.stdout.strip()).is_relative_to(venv), "the installed package is the one used"

    run(tool, "init", "mysite", cwd=tmp_path, env=env)
    site = tmp_path / "mysite"
    assert (site / ".github" / "workflows" / "pages.yml").is_file() and (site / ".gitignore").is_file()
    run(tool, "new", "paper", "A Packaged Paper", cwd=site, env=env)
    built = run(tool, "build", cwd=site, env=env)
    assert built.stdout.startswith("built 2 papers")
    checked = run(tool, "check", cwd=site, env=env)
    assert "no broken links" in checked.stdout
    output = site / "output"
    assert (output / "papers" / "a-packaged-paper" / "index.html").is_file()
    assert (output / "assets" / "style.css").read_bytes() == \
        (REPO / "themes" / "default" / "static" / "assets" / "style.css").read_bytes()
