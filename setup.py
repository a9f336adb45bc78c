"""Package layout only; everything else is in pyproject.toml.

The top-level ``resources/`` and ``data/`` folders are shipped inside the package as
``renewal_coach/resources`` and ``renewal_coach/data`` (see docs/decisions.md, "Resources inside
the package"). pyproject.toml cannot both find the code packages and map extra folders onto
package names, hence this file.
"""

from setuptools import find_packages, setup

RESOURCE_FOLDERS = {"renewal_coach.resources": "resources", "renewal_coach.data": "data"}

setup(
    packages=[*find_packages(include=["renewal_coach", "renewal_coach.*"]), *RESOURCE_FOLDERS],
    package_dir=RESOURCE_FOLDERS,
    package_data={name: ["**/*"] for name in RESOURCE_FOLDERS},
    exclude_package_data={name: ["**/__pycache__/*", "**/*.pyc"] for name in RESOURCE_FOLDERS},
)
