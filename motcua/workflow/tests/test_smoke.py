from __future__ import annotations

import pytest

from motcua.workflow.tests.factories import STATES, build_world, make_dossier


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_each_trait_reaches_its_state(state: str) -> None:
    world = build_world()
    dossier = make_dossier(world, state)
    assert dossier.state == state
