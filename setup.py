"""Build hook: a wheel carries the top-level `forms/` and `resources/` inside the package.

Those folders stay where they are, the only copy in the repository, edited in place and read
from there by a checkout or an editable install. Only a built wheel gets its own copy, under
`fieldkit/shipped/`, where `fieldkit.core.paths` looks first. Everything else about the build
is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("forms", "resources")


class BuildWithShippedData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        shipped = Path(self.build_lib, "fieldkit", "shipped")
        # A build/ folder reused from an earlier build would otherwise still hold a form
        # since deleted from forms/, and the wheel would ship it.
        shutil.rmtree(shipped, ignore_errors=True)
        for folder in SHIPPED:
            shutil.copytree(folder, shipped / folder,
                            ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithShippedData})
