"""The reply-template bank data/responses/bitext_templates.json and its converter,
data/tools/convert_bitext_responses.py (the intent data's converter: test_demo_data.py)."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from retrieval.responses import SlotConfig

ROOT = Path(__file__).resolve().parents[2]
CONVERTER = ROOT / "data" / "tools" / "convert_bitext_responses.py"
BANK = ROOT / "data" / "responses" / "bitext_templates.json"
BITEXT_CSV = (
    ROOT.parent
    / "shared"
    / "datasets"
    / "bitext"
    / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
)
SLOTS = SlotConfig(
    {"phone": "01 23", "website": "shop.example"},
    {"Customer Support Phone Number": "shop:phone", "Order Number": "customer:order_number"},
    frozenset({"Order History"}),
)


@pytest.fixture(scope="module")
def converter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("convert_bitext_responses", CONVERTER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_converter_puts_slots_back_and_drops_unfillable(converter: ModuleType, tmp_path: Path):
    path = tmp_path / "b.csv"
    rows = [
        (
            "cancel my order 4587345",
            "cancel_order",
            "order_id",
            "4587345",
            "Order 00004587345 is cancelled; call {{Customer Support Phone Number}}.",
        ),
        ("cancel", "cancel_order", "", "", "Use {{Unknown Widget}} to cancel."),
        ("cancel now", "cancel_order", "", "", "Cancelled. See {{Order History}}."),
    ]
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["instruction", "intent", "entity_type", "entity_value", "response"])
        w.writerows(rows)
    doc = converter.convert(path, per_intent=1, config=SLOTS)
    assert doc["dropped_unfillable"] == 1
    assert [i["text"] for i in doc["items"]] == [
        "Cancelled. See {{Order History}}."
    ]  # shortest kept
    doc = converter.convert(path, per_intent=5, config=SLOTS)
    texts = [i["text"] for i in doc["items"]]
    assert "Order {{Order Number}} is cancelled; call {{Customer Support Phone Number}}." in texts
    assert doc["items"][0]["questions"]


@pytest.mark.skipif(not BITEXT_CSV.is_file(), reason="Bitext source data not present")
def test_shipped_bank_is_what_the_converter_makes(tmp_path: Path) -> None:
    out = tmp_path / "bank.json"
    subprocess.run(
        [sys.executable, str(CONVERTER), "--csv", str(BITEXT_CSV), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert out.read_bytes() == BANK.read_bytes(), "bitext_templates.json is stale: re-run it"
