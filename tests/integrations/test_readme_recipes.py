"""The README's Recipes are the files this suite runs, quoted whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
README = HERE.parent.parent / "README.md"
RECIPES = sorted(HERE.glob("*/test_recipe_*.py"))


def recipes_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Recipes\n")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else len(text)]


def test_there_is_a_recipe_per_client() -> None:
    assert [p.name for p in RECIPES] == [
        "test_recipe_aio_server.py",
        "test_recipe_aiomoto.py",
        "test_recipe_airflow.py",
        "test_recipe_airflow_applications.py",
        "test_recipe_airflow_deferrable.py",
        "test_recipe_airflow_deferrable_applications.py",
        "test_recipe_dagster.py",
        "test_recipe_emrcli.py",
    ]


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda p: p.name)
def test_the_readme_quotes_the_recipe_verbatim(recipe: Path) -> None:
    source = recipe.read_text(encoding="utf-8")

    assert f"```python\n{source}```\n" in recipes_section()


def test_every_python_block_of_the_recipes_section_is_a_tested_recipe() -> None:
    blocks = re.findall(r"```python\n(.*?)```\n", recipes_section(), flags=re.DOTALL)

    assert sorted(blocks) == sorted(p.read_text(encoding="utf-8") for p in RECIPES)


def test_every_recipe_names_its_file() -> None:
    section = recipes_section()

    for recipe in RECIPES:
        assert f"`tests/integrations/{recipe.parent.name}/{recipe.name}`" in section
