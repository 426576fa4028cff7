"""Approval flow files: they load pinned and hashed; the check refuses bad flows with file:line: message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.approval import ApprovalDefinition, Comparison, condition_holds, resolve_rule, validate_request
from definitions.loader import DefinitionError, check_flows, load_as, load_flow, load_flows

GOOD = """\
flow: trial
version: 1
title: Trial
subject: customer
form:
  fields:
    amount: {type: number, required: true, min: 1}
    kind: {type: choice, choices: [a, b]}
steps:
  - name: first
    approvers: {chain: {of: requester, levels: 1}}
  - name: second
    when: {amount: {gt: 100}, tier: {in: [1]}}
    approvers: [{director: owner}]
    mode: {quorum: 1}
    send_back_to: [requester, first]
"""


EXAMPLE_REQUEST_FLOWS = ("discount", "contract", "customer-transfer")


def folder(tmp_path: Path, flows: dict[str, str]) -> Path:
    """A definitions folder: the packaged ones plus the given flow files, without the three example custom-request
    flows (the flows that process definitions name stay)."""
    target = tmp_path / "defs"
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for name in EXAMPLE_REQUEST_FLOWS:
        (target / "flows" / f"{name}.yaml").unlink()
    for name, text in flows.items():
        (target / "flows" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return target


def test_packaged_flows_load_pinned_and_resolve_in_the_sample_org() -> None:
    flows = load_flows(PACKAGED_DEFINITIONS_DIR)
    assert set(flows) == {
        "discount",
        "contract",
        "customer-transfer",
        "incentive-appeal",
        "target-change",
        "compensation",
        "onboarding-tier1",
        "tier-change",
        "review-approval",
    }
    assert {name for name, flow in flows.items() if flow.started_by == "process"} == {
        "compensation",
        "onboarding-tier1",
        "tier-change",
        "review-approval",
    }
    # Only the review's approval carries fields on its decision: a rating (1–5) and a comment, both required.
    assert {name for name, flow in flows.items() if flow.decision_form is not None} == {"review-approval"}
    decision = flows["review-approval"].decision_form
    assert validate_request(decision, {"rating": 4, "comment": "good"}) == {}
    assert set(validate_request(decision, {"rating": 6, "comment": "good"})) == {"rating"}
    assert set(validate_request(decision, {"rating": 0})) == {"rating", "comment"}
    assert set(validate_request(decision, {"rating": 3, "comment": "x", "bonus": "?"})) == {"bonus"}
    contract = flows["contract"]
    assert contract.steps[1].mode == "all" and contract.content_hash and contract.version == 1
    assert flows["customer-transfer"].on_approve.transfer_customer.owner_field == "new_owner_id"


def test_a_valid_flow_loads_and_its_hash_follows_the_text(tmp_path: Path) -> None:
    directory = folder(tmp_path, {"trial": GOOD})
    first = load_flow(directory, "trial")
    assert [s.name for s in first.steps] == ["first", "second"]
    (directory / "flows" / "trial.yaml").write_text(GOOD.replace("version: 1", "version: 2"), encoding="utf-8")
    second = load_flow(directory, "trial")
    assert second.version == 2 and second.content_hash != first.content_hash


@pytest.mark.parametrize(
    ("broken", "line", "message"),
    [
        (GOOD.replace("name: second", "name: first"), 12, "duplicate step name 'first'"),
        (GOOD.replace("[requester, first]", "[requester, nowhere]"), 16, "send-back target 'nowhere'"),
        (GOOD.replace("{amount: {gt: 100}", "{amonut: {gt: 100}"), 13, "condition on unknown field 'amonut'"),
        (GOOD.replace("{amount: {gt: 100}", "{kind: {gt: 100}"), 13, "gt/gte/lt/lte need a number field"),
        (
            GOOD.replace("{chain: {of: requester, levels: 1}}", "{staff: [nobody@example.test]}"),
            11,
            "staff nobody@example.test resolves to nobody in the sample org",
        ),
        (GOOD.replace("{chain: {of: requester, levels: 1}}", "{chain: {}, owner: true}"), 11, "exactly one of"),
        (GOOD.replace("mode: {quorum: 1}", "mode: most"), 15, "mode"),
        (GOOD.replace("subject: customer", "subject: none"), 13, "needs subject: customer"),
    ],
)
def test_the_check_refuses_bad_flows_at_their_line(tmp_path: Path, broken: str, line: int, message: str) -> None:
    directory = folder(tmp_path, {"trial": broken})
    loaded, issues = check_flows(directory)
    assert "trial" not in loaded
    assert issues, "the broken flow passed the check"
    assert any(i.line == line and message in i.message for i in issues), [str(i) for i in issues]
    with pytest.raises(DefinitionError):
        load_flows(directory)


def test_crmflow_definitions_check_reports_flow_problems_as_file_line_message(tmp_path: Path) -> None:
    directory = folder(tmp_path, {"trial": GOOD.replace("name: second", "name: first")})
    bad = subprocess.run(
        [sys.executable, "-m", "crmflow", "definitions", "check", str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert f"{directory / 'flows' / 'trial.yaml'}:12: steps.1.name: duplicate step name 'first'" in bad.stdout
    good = subprocess.run(
        [sys.executable, "-m", "crmflow", "definitions", "check", str(folder(tmp_path / "b", {"trial": GOOD}))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "trial" in good.stdout


def test_conditions_hold_at_the_edges_and_never_for_missing_values() -> None:
    over = {"amount": Comparison.model_validate({"gt": 100})}
    assert not condition_holds(over, {"amount": 100}, None)
    assert condition_holds(over, {"amount": 100.01}, None)
    assert condition_holds({"amount": Comparison.model_validate({"gte": 100})}, {"amount": 100}, None)
    assert not condition_holds(over, {}, None)
    assert not condition_holds(over, {"amount": "101"}, None)
    region = {"region": Comparison.model_validate("east")}
    assert condition_holds(region, {}, {"region": "east"}) and not condition_holds(region, {}, {"region": "west"})
    assert condition_holds({"tier": Comparison.model_validate({"in": [1]})}, {}, {"tier": 1})


def test_request_fields_are_checked_per_field() -> None:
    flow = load_flow(PACKAGED_DEFINITIONS_DIR, "contract")
    errors = validate_request(flow.form, {"amount": 0, "term_months": 1.5, "payment": "cash", "extra": 1})
    assert errors == {
        "amount": "must be at least 1",
        "term_months": "must be an integer",
        "payment": "must be one of prepaid, monthly, on_delivery",
        "extra": "unknown field",
    }
    assert validate_request(flow.form, {"amount": 10, "term_months": 12, "payment": "monthly"}) == {}


def test_approver_rules_in_the_sample_org() -> None:
    approval = load_as(PACKAGED_DEFINITIONS_DIR, ApprovalDefinition)
    org, requester, owner = approval.sample_org.view()
    emails = {p.id: p.email for p in org.people.values()}
    flow = load_flow(PACKAGED_DEFINITIONS_DIR, "discount")
    rule = flow.steps[0].approvers[0]
    assert [emails[i] for i in resolve_rule(rule, org, requester_id=requester, owner_id=owner)] == [
        "li.wei@crmflow-demo.cn"
    ]
    deep = rule.model_copy(update={"chain": rule.chain.model_copy(update={"levels": 5})})
    assert [emails[i] for i in resolve_rule(deep, org, requester_id=requester, owner_id=owner)] == [
        "zhao.min@crmflow-demo.cn"
    ]
    role = type(rule).model_validate({"role": "account_manager_l2"})
    found = {emails[i] for i in resolve_rule(role, org, requester_id=requester, owner_id=owner)}
    assert found == {
        "liu.yang@crmflow-demo.cn",
        "chen.jing@crmflow-demo.cn",
        "yang.fan@crmflow-demo.cn",
    }  # never the requester
