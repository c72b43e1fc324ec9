"""Session fixtures shared by the identity tests: one generated and built platform per test session."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ai_identity.model.identity import Identity
from ai_identity.pipeline import BuildSummary, build
from ai_identity.settings import Settings
from ai_identity.store.identities import IdentityStore, default_path
from ai_identity.synth.writer import generate

IDENTITY_USERS = 150
IDENTITY_SEED = 5


@dataclass
class BuiltPlatform:
    """The session's platform and its build; the helpers are methods so test modules need not import this one."""

    root: Path
    summary: BuildSummary
    identities: dict[int, Identity]

    @staticmethod
    def settings() -> Settings:
        """One in-process worker: the platform fits one batch, and spawning workers costs more than it saves."""
        return Settings(workers=1)

    @staticmethod
    def load(store_path: Path) -> dict[int, Identity]:
        store = IdentityStore(store_path)
        try:
            return {i.user["platform_id"]: i for i in store.all()}
        finally:
            store.close()

    def copy(self, dst: Path) -> Path:
        """A copy of the platform without its identity store (the pseudonym key is kept, so pseudonyms match)."""
        shutil.copytree(self.root, dst, ignore=shutil.ignore_patterns("identity"))
        (dst / "identity").mkdir()
        shutil.copy2(self.root / "identity" / "pseudonym.key", dst / "identity" / "pseudonym.key")
        return dst


@pytest.fixture(scope="session")
def built_platform(tmp_path_factory: pytest.TempPathFactory) -> BuiltPlatform:
    """A 150-user platform (seed 5), built once into its default identity store. Tests must not modify it:
    copy it (``copy_platform``) or build into another ``store_path``."""
    root = tmp_path_factory.mktemp("identity") / "platform"
    generate(root, IDENTITY_USERS, IDENTITY_SEED)
    summary = build(root, settings=BuiltPlatform.settings())
    return BuiltPlatform(root, summary, BuiltPlatform.load(default_path(root)))


@pytest.fixture(scope="session")
def small_built_platform(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """``small_built_platform(seed)``: a 60-user platform for that seed, generated and built once per session.
    Tests that change it must work on a copy (``shutil.copytree``)."""
    made: dict[int, Path] = {}

    def get(seed: int) -> Path:
        if seed not in made:
            root = tmp_path_factory.mktemp(f"small{seed}") / "platform"
            generate(root, 60, seed)
            build(root, settings=Settings(workers=1))
            made[seed] = root
        return made[seed]

    return get


@pytest.fixture(scope="module")
def built(small_built_platform: Callable[[int], Path], request: pytest.FixtureRequest) -> Path:
    """The module's small platform (its ``SEED``), built once; tests that change it use ``platform``, a copy."""
    return small_built_platform(request.module.SEED)


@pytest.fixture
def platform(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the module's built platform, for a test that changes it."""
    return Path(shutil.copytree(built, tmp_path / "platform"))
