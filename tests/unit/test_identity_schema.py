import json
from pathlib import Path

import jsonschema

from ai_identity.model.identity import Identity

ROOT = Path(__file__).resolve().parents[2]


def test_when_schema_file_is_compared_with_the_model_then_it_is_current():
    committed = json.loads((ROOT / "schemas" / "identity.schema.json").read_text())
    assert committed == Identity.model_json_schema(), "run: ai-identity schema > schemas/identity.schema.json"


def test_when_a_claim_has_no_evidence_then_the_schema_rejects_it():
    schema = Identity.model_json_schema()
    claim = schema["$defs"]["Claim"]
    doc = {"value": 1, "confidence": 0.5, "visibility": "public", "evidence": []}
    validator = jsonschema.Draft202012Validator({**claim, "$defs": schema["$defs"]})
    assert not validator.is_valid(doc)
    doc["evidence"] = [{"source": "mysql", "store": "users", "record": "id=1", "field": "email"}]
    assert validator.is_valid(doc)
