"""Build the reply-template bank `data/responses/bitext_templates.json` from Bitext's
message -> response pairs (the intent data has its own converter, `convert_bitext.py`).

    python data/tools/convert_bitext_responses.py \
        --csv ../shared/datasets/bitext/Bitext_Sample_Customer_Support_Training_Dataset.csv \
        --out data/responses/bitext_templates.json

Entity values Bitext copied from the message into the response (order numbers, names)
are turned back into slots. Per intent, the distinct responses are kept, shortest first (agents prefer short replies),
up to `--per-intent`; each keeps the customer message it answered (`questions`). A response
with a placeholder that has no source in `data/responses/shop.yml` is dropped (counted in
the output header), so the bank never holds a template that can never be filled.

Needs the product importable (`.venv`): the slot check is `retrieval.responses.SlotConfig`.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

from retrieval.responses import DATA, SlotConfig

_SPACES = re.compile(r"[ \t]+")
# Bitext fills some responses with the entity of the customer's message (an order number,
# a name): put a slot back so the template is filled with THIS customer's fact.
ENTITY_SLOTS = {
    "order_id": "Order Number",
    "person_name": "Customer Name",
    "invoice_id": "Invoice Number Anonymized",
    "delivery_city": "Delivery City",
    "delivery_country": "Delivery Country",  # no source: such templates are dropped
    "refund_amount": "Refund Amount",  # no source: dropped
}


def _slot_entities(text: str, entity_type: str, value: str) -> str:
    slot = ENTITY_SLOTS.get(entity_type)
    if not slot or not value.strip():
        return text
    pattern = r"\b\d*" + re.escape(value) + r"\b" if value.isdigit() else re.escape(value)
    return re.sub(pattern, "{{" + slot + "}}", text)


def convert(csv_path: Path, per_intent: int = 40, config: SlotConfig | None = None) -> dict:
    config = config or SlotConfig.load()
    by_intent: dict[str, dict[str, list[str]]] = defaultdict(dict)
    dropped = 0
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = _SPACES.sub(" ", row["response"].strip())
            text = _slot_entities(text, row.get("entity_type", ""), row.get("entity_value", ""))
            if not config.fillable_offline(text):
                dropped += 1
                continue
            by_intent[row["intent"]].setdefault(text, []).append(row["instruction"].strip())
    items = []
    for intent in sorted(by_intent):
        ranked = sorted(by_intent[intent].items(), key=lambda kv: (len(kv[0]), kv[0]))[:per_intent]
        for k, (text, questions) in enumerate(ranked):
            items.append(
                {
                    "id": f"bitext:{intent}:{k}",
                    "intent": intent,
                    "text": text,
                    "questions": sorted(set(questions))[:5],
                    "source": "bitext",
                }
            )
    return {
        "source": "Bitext customer-support-llm-chatbot-training-dataset @ 8b6ca3d "
        "(CDLA-Sharing-1.0), see data/ATTRIBUTION.md",
        "made_by": "python data/tools/convert_bitext_responses.py",
        "per_intent": per_intent,
        "dropped_unfillable": dropped,
        "items": items,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=DATA / "bitext_templates.json")
    ap.add_argument("--per-intent", type=int, default=40)
    a = ap.parse_args(argv)
    doc = convert(a.csv, a.per_intent)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"{len(doc['items'])} templates written to {a.out} ({doc['dropped_unfillable']} unfillable dropped)"
    )


if __name__ == "__main__":
    main()
