"""The documentation runs: every Python example of every page, and the recipes as tested files.

The pages are the README and the Markdown under docs/. Sybil reads each page's ```python blocks,
and the invisible ones that set a block up or call the test it defines
(`<!-- invisible-code-block: python ... -->`), and runs them in order in one namespace, as a
reader would. A block that needs a server, Airflow or another client is skipped with
`<!-- skip: next "why" -->`: it is a file that its own tests run (the recipes, examples/); a block
that needs a newer botocore model than the oldest supported one is skipped there with
`<!-- skip: next if(not model_has("Shape"), reason="why") -->`. One test a page, so that under
pytest-xdist a page's blocks run in one worker, in order.

The Python API page is built from the public names' docstrings: their examples run too, each
docstring in a fresh mock whose handle is `emrs`.
"""

from __future__ import annotations

import doctest
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import SkipTest

import botocore.session
import moto.moto_api._internal.urls as moto_api_urls
import pytest
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
RECIPES = sorted((ROOT / "tests" / "integrations").glob("*/test_recipe_*.py"))
MODELS = ("emrserverless::job_run", "emrserverless::application")


def sybil() -> Any:
    """Sybil, reading a page's Python blocks and its skip directives. It comes with the test
    extra; without it each page's test fails (a skipped page could drift from the code unseen),
    while the rest of the suite still collects."""
    from sybil import Sybil
    from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

    return Sybil(parsers=[PythonCodeBlockParser(), SkipParser()], patterns=["*.md"])


def model_has(shape: str) -> bool:
    """Whether the installed botocore's EMR Serverless model has this shape (1.34.116 lacks some)."""
    model = botocore.session.get_session().get_service_model("emr-serverless")
    return shape in model.shape_names


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.fixture
def clean_state_manager() -> Iterator[None]:
    """A page that sets a transition and fails before it unsets it leaves no trace."""
    yield
    for model in MODELS:
        state_manager.unset_transition(model)


@pytest.mark.parametrize("page", PAGES, ids=name)
def test_the_python_examples_of_the_page_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_state_manager: None
) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write a file write it here
    document = sybil().parse(page)
    document.namespace["model_has"] = model_has
    for example in document:
        try:
            example.evaluate()
        except SkipTest:
            continue
        except Exception as error:
            raise AssertionError(f"{name(page)}, line {example.line}: {error!r}") from error


def docstring_examples() -> list[doctest.DocTest]:
    """The doctests of every public name (a class's own methods included)."""
    finder = doctest.DocTestFinder()
    found = (finder.find(getattr(mea, public), f"mea.{public}") for public in mea.__all__)
    return [test for tests in found for test in tests if test.examples]


@pytest.mark.parametrize("example", docstring_examples(), ids=lambda t: t.name)
def test_the_docstring_examples_of_the_python_api_run(
    example: doctest.DocTest, clean_state_manager: None
) -> None:
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    with mea.mock_emrs_attempts() as emrs:
        example.globs = {**vars(mea), "emrs": emrs}
        result = runner.run(example, out=report.append)

    assert result.failed == 0, "".join(report)


def recipe_page(recipe: Path) -> str:
    """The recipe page that shows `recipe`: docs/recipes/<client>.md."""
    client = recipe.parent.name.replace("_", "-").replace("aio", "aiobotocore")
    client = {"emrcli": "emr-cli"}.get(client, client)
    return (DOCS / "recipes" / f"{client}.md").read_text(encoding="utf-8")


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
def test_the_recipe_page_includes_the_tested_file_whole(recipe: Path) -> None:
    include = f'```python\n--8<-- "{name(recipe)}"\n```\n'

    assert include in recipe_page(recipe)


def test_every_python_block_of_the_recipe_pages_is_a_tested_file() -> None:
    pages = "".join(p.read_text(encoding="utf-8") for p in sorted((DOCS / "recipes").glob("*.md")))
    blocks = re.findall(r"```python\n(.*?)```\n", pages, flags=re.DOTALL)

    assert sorted(blocks) == sorted(f'--8<-- "{name(p)}"\n' for p in RECIPES)


def schema_members(node: object) -> set[str]:
    """Every member name the history document's JSON Schema defines, at any depth."""
    if isinstance(node, list):
        return set().union(*(schema_members(n) for n in node))
    if not isinstance(node, dict):
        return set()
    found = set(node.get("properties", {}))
    return found.union(*(schema_members(v) for v in node.values()))


def test_the_history_document_page_names_every_member_of_the_schema() -> None:
    [schema] = ROOT.glob("moto_emrs_attempts/**/history.schema.json")
    page = (DOCS / "reference" / "history-document.md").read_text(encoding="utf-8")
    named = set(re.findall(r"[`.\"]([A-Za-z0-9]+)(?:\[\])?[`\"]", page))

    assert sorted(schema_members(json.loads(schema.read_text(encoding="utf-8"))) - named) == []


def test_the_endpoints_page_names_every_endpoint_of_the_plugin() -> None:
    paths = [
        p.removeprefix("{0}").removesuffix("$")
        for p in moto_api_urls.url_paths
        if "/emrs-attempts/" in p
    ]
    page = (DOCS / "reference" / "endpoints.md").read_text(encoding="utf-8")

    assert len(paths) == 4
    assert [p for p in paths if f"`{p}`" not in page] == []


def test_the_readme_links_to_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)", readme)

    assert targets
    assert [t for t in targets if not (ROOT / t).exists()] == []
