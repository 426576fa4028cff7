"""A flow may name itself, its steps and its fields per workspace language; other language keys are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.loader import DefinitionError, load_flow_file, load_flows

FLOW = """\
flow: trial
version: 1
title: Trial
titles: {zh_CN: 试用}
form:
  fields:
    amount: {type: number, label: Amount, labels: {zh_CN: 金额}}
steps:
  - name: first
    titles: {zh_CN: 第一步}
    approvers: {chain: {of: requester, levels: 1}}
"""


def test_titles_and_labels_per_language(tmp_path: Path) -> None:
    path = tmp_path / "trial.yaml"
    path.write_text(FLOW, encoding="utf-8")
    flow = load_flow_file(path)
    assert flow.titles == {"zh_CN": "试用"} and flow.steps[0].titles == {"zh_CN": "第一步"}
    assert flow.form.fields["amount"].labels == {"zh_CN": "金额"}


def test_an_unknown_language_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "trial.yaml"
    path.write_text(FLOW.replace("{zh_CN: 第一步}", "{fr: Première étape}"), encoding="utf-8")
    with pytest.raises(DefinitionError) as refused:
        load_flow_file(path)
    assert any(issue.line == 10 and "steps.0.titles" in issue.message for issue in refused.value.issues), [
        str(i) for i in refused.value.issues
    ]


def test_the_packaged_flows_speak_chinese() -> None:
    for flow in load_flows(PACKAGED_DEFINITIONS_DIR).values():
        assert flow.titles.get("zh_CN"), flow.flow
        assert all(step.titles.get("zh_CN") for step in flow.steps), flow.flow
        assert all(field.labels.get("zh_CN") for field in flow.form.fields.values()), flow.flow
