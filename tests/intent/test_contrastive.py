"""The supervised contrastive loss (intent/contrastive.py): lower when turns of one
intent lie together and apart from the others, and pulling them together under gradient."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from intent.contrastive import supcon_loss


def test_the_loss_prefers_vectors_grouped_by_label():
    labels = torch.tensor([0, 0, 1, 1])
    grouped = F.normalize(torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]]), dim=1)
    mixed = F.normalize(torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.9, 0.1], [0.1, 0.9]]), dim=1)
    assert supcon_loss(grouped, labels, 0.1) < supcon_loss(mixed, labels, 0.1)


def test_a_gradient_step_brings_same_label_vectors_closer():
    torch.manual_seed(0)
    raw = torch.randn(6, 8, requires_grad=True)
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    opt = torch.optim.SGD([raw], lr=0.5)

    def same_label_cosine() -> float:
        z = F.normalize(raw.detach(), dim=1)
        return float(sum(z[i] @ z[i + 1] for i in (0, 2, 4)) / 3)

    before = same_label_cosine()
    for _ in range(20):
        opt.zero_grad()
        supcon_loss(F.normalize(raw, dim=1), labels, 0.1).backward()
        opt.step()
    assert same_label_cosine() > before + 0.2
