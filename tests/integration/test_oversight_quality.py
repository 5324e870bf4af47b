"""Detection quality: the sweep over the demo city finds what was planted, and little else."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.oversight_truth import KIND_RULES, Score, score, table
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.bootstrap import Context
from zerowaste.oversight.detect_common import CHINA
from zerowaste.oversight.rules import RULES, RuleSettings
from zerowaste.services.demo import build_demo_city
from zerowaste.services.oversight_detect import sweep_findings

SEEDS = (3, 11, 29)
SCALE, MONTHS = 0.1, 3
_scores: dict[tuple[str, int], tuple[dict[str, Score], dict[str, Any]]] = {}


def _scored(context: Context, tmp_path: Path, seed: int) -> tuple[dict[str, Score], dict[str, Any]]:
    key = (context.engine.dialect.name, seed)
    if key not in _scores:
        truth_file = tmp_path / "demo.truth.json"
        build_demo_city(context, seed=seed, scale=SCALE, truth_path=truth_file, months=MONTHS)
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        as_of = datetime.combine(datetime.fromisoformat(truth["as_of"]).date(), time(), CHINA)
        with UnitOfWork(context.engine) as uow:
            findings = sweep_findings(uow, context.catalog, RuleSettings(), as_of)
            stored = {
                v["manifest_id"]
                for v in truth["violations"]
                if v["status"] == "refused"
                and v["manifest_id"]
                and uow.manifests.get(uuid.UUID(v["manifest_id"])) is not None
            }
        assert not stored, f"refused violations left manifests: {stored}"
        scores = {s.rule_id: s for s in score(findings, truth)}
        print(f"\n{key[0]}, seed {seed}\n{table(scores.values())}")
        _scores[key] = (scores, truth)
    return _scores[key]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("rule_id", [r.rule_id for r in RULES])
def test_each_rule_finds_the_planted_violations_and_little_else(
    context: Context, tmp_path: Path, seed: int, rule_id: str
) -> None:
    scores, truth = _scored(context, tmp_path, seed)
    s = scores[rule_id]
    if rule_id in KIND_RULES.values():
        assert s.planted > 0, f"the demo planted no {rule_id} violation"
    else:
        assert s.found == 0, f"{rule_id} raised {s.found} findings on the demo's honest flows"
    assert s.recall >= 0.95, table([s])
    assert s.precision >= 0.9, table([s])
