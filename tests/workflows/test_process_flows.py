"""The processes' approvals run on the approval-flow engine (DESIGN §3.10): an operator changes who approves
compensation by editing a flow file, with no code change, and a running complaint keeps its flow."""

from __future__ import annotations

import shutil
import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import ApprovalRequest, AuditEvent, StaffRole, Task
from definitions.complaint import AcknowledgeRequest, ActionActor, ComplaintStart, IntakeRequest, ResolveRequest
from definitions.loader import check_directory, check_flows, load_complaint_definition
from definitions.tasks import TaskActor, TaskDecisionInput, TaskRecallInput
from tests.workflows.flow_tasks import wait_for_closed_task, wait_for_open_task
from tests.workflows.test_complaint import _until
from workflows.complaint import ComplaintWorkflow

ACTOR = ActionActor(label="manager:staff:0", staff_id=None)
FINANCE_STEP = """
  - name: finance
    title: Finance (all must sign)
    when: {amount: {gt: 50000}}
    approvers: {staff: [fin-a@flows.test, fin-b@flows.test]}
    mode: all
    due_in: 2d
    escalation_levels: 0
"""


def operator_folder(tmp_path: Path) -> Path:
    """The packaged definitions, where an operator appended a finance 会签 step to the compensation flow
    (and listed the finance people in the sample org the check resolves against)."""
    target = tmp_path / "definitions"
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py", "demo"))
    flow = target / "flows" / "compensation.yaml"
    text = flow.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1)
    flow.write_text(
        text.replace("final_outcome: expire", FINANCE_STEP.strip("\n") + "\nfinal_outcome: expire"), encoding="utf-8"
    )
    approval = target / "approval.yaml"
    approval.write_text(
        approval.read_text(encoding="utf-8")
        + (
            "    - {email: fin-a@flows.test, role: account_manager_l1, supervisor: zhao.min@crmflow-demo.cn}\n"
            "    - {email: fin-b@flows.test, role: account_manager_l1, supervisor: zhao.min@crmflow-demo.cn}\n"
        ),
        encoding="utf-8",
    )
    return target


async def _start(client: Client, task_queue: str, customer_id: int, directory: Path) -> WorkflowHandle:
    complaint_id = str(uuid.uuid4())
    start = ComplaintStart(
        complaint_id=complaint_id,
        customer_id=customer_id,
        customer_tier=2,
        severity="high",
        category="billing",
        description="wrong invoice",
        channel="phone",
        opened_by=ACTOR,
        definition=load_complaint_definition(directory),
    )
    handle = await client.start_workflow(
        ComplaintWorkflow.run, start, id=f"complaint-{complaint_id}", task_queue=task_queue
    )
    await handle.execute_update(ComplaintWorkflow.intake, IntakeRequest(actor=ACTOR))
    await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
    return handle


async def _approve(client: Client, sessions, task: Task, staff_id: int, decision: str = "approve") -> Task:
    """Decide as the inbox does (the update goes where the task says) and wait for the row to close."""
    actor = TaskActor(role="manager", staff_id=staff_id, label=f"manager:staff:{staff_id}")
    await client.get_workflow_handle(task.decided_in).execute_update(
        "task.decide", TaskDecisionInput(task_key=task.task_key, actor=actor, decision=decision)
    )
    return await wait_for_closed_task(sessions, task.id)


def test_the_operators_flow_passes_the_check(tmp_path: Path) -> None:
    directory = operator_folder(tmp_path)
    loaded, issues = check_directory(directory)
    flows, flow_issues = check_flows(directory)
    assert not issues and not flow_issues, [str(i) for i in issues + flow_issues]
    definition = load_complaint_definition(directory)
    assert [s.name for s in definition.flows["compensation"].steps] == ["supervisor", "director", "finance"]
    assert flows["compensation"].version == 2


async def test_a_finance_countersign_added_by_an_operator_holds_compensation_above_50000(
    tmp_path: Path, time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    fin_a = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, email="fin-a@flows.test", supervisor_id=org.director.id)
    fin_b = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, email="fin-b@flows.test", supervisor_id=org.director.id)
    customer = await factory.customer(owner=org.l2)
    client = time_env.client
    async with run_worker(client):
        handle = await _start(client, settings.task_queue, customer.id, operator_folder(tmp_path))
        await handle.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=ACTOR, resolution="refund", compensation_amount=Decimal("60000")),
        )

        # The packaged steps first, as before: the owner's supervisor, then the director.
        supervisor = await wait_for_open_task(sessions, handle.id)
        assert supervisor.assignee_id == org.l1.id and supervisor.process_type == "complaint"
        assert supervisor.context["amount"] == "60000" and supervisor.handler_workflow_id != handle.id
        # Ops see where the approval runs: the complaint's status names the flow's workflow, which holds the task.
        assert (await handle.query(ComplaintWorkflow.status)).approval_workflow_id == supervisor.handler_workflow_id
        await _approve(client, sessions, supervisor, org.l1.id)
        director = await wait_for_open_task(sessions, handle.id, exclude={supervisor.id})
        assert director.assignee_id == org.director.id
        await _approve(client, sessions, director, org.director.id)

        # The operator's step: both finance people hold a task at once, and both must sign.
        first = await wait_for_open_task(sessions, handle.id, exclude={supervisor.id, director.id})
        second = await wait_for_open_task(sessions, handle.id, exclude={supervisor.id, director.id, first.id})
        assert {first.assignee_id, second.assignee_id} == {fin_a.id, fin_b.id}
        await _approve(client, sessions, first, first.assignee_id)
        assert (await handle.query(ComplaintWorkflow.status)).stage == "pending_approval"
        await _approve(client, sessions, second, second.assignee_id)
        status = await _until(handle, lambda s: s.stage == "resolved")
        assert status.compensation_amount == Decimal("60000")

    async with sessions() as session:
        request = await session.scalar(select(ApprovalRequest).where(ApprovalRequest.subject_id == status.complaint_id))
        actions = list(await session.scalars(select(AuditEvent.action).where(AuditEvent.workflow_id == handle.id)))
    assert (request.flow, request.flow_version, request.status) == ("compensation", 2, "approved")
    assert actions.count("task.approved") == 4 and "complaint.resolved" in actions


async def test_at_50000_the_finance_step_does_not_apply_and_a_rejection_reopens_work(
    tmp_path: Path, time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, email="fin-a@flows.test", supervisor_id=org.director.id)
    await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, email="fin-b@flows.test", supervisor_id=org.director.id)
    customer = await factory.customer(owner=org.l2)
    client = time_env.client
    async with run_worker(client):
        handle = await _start(client, settings.task_queue, customer.id, operator_folder(tmp_path))
        await handle.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=ACTOR, resolution="refund", compensation_amount=Decimal("50000")),
        )
        supervisor = await wait_for_open_task(sessions, handle.id)
        await _approve(client, sessions, supervisor, org.l1.id)
        director = await wait_for_open_task(sessions, handle.id, exclude={supervisor.id})
        await _approve(client, sessions, director, org.director.id)
        await _until(handle, lambda s: s.stage == "resolved")  # no finance step at exactly 50 000

        # A second complaint: the director rejects, and the team works on without the resolution.
        other = await _start(client, settings.task_queue, customer.id, operator_folder(tmp_path / "again"))
        await other.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=ACTOR, resolution="refund", compensation_amount=Decimal("20000")),
        )
        first = await wait_for_open_task(sessions, other.id)
        await _approve(client, sessions, first, org.l1.id)
        second = await wait_for_open_task(sessions, other.id, exclude={first.id})
        await _approve(client, sessions, second, org.director.id, "reject")
        status = await _until(other, lambda s: s.stage == "in_progress")
        assert status.resolution is None and status.compensation_amount is None
    async with sessions() as session:
        tasks = (await session.scalars(select(Task).where(Task.workflow_id == handle.id))).all()
        actions = list(await session.scalars(select(AuditEvent.action).where(AuditEvent.workflow_id == other.id)))
    assert len(tasks) == 2
    assert "complaint.compensation_rejected" in actions


async def test_a_running_complaint_keeps_the_flow_it_started_with(
    tmp_path: Path, time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    directory = tmp_path / "definitions"
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__", "*.py", "demo"))
    client = time_env.client
    async with run_worker(client):
        handle = await _start(client, settings.task_queue, customer.id, directory)
        # The operator adds the finance step while the complaint runs: it started with version 1, without it.
        operator = operator_folder(tmp_path / "edited")
        shutil.copy(operator / "flows" / "compensation.yaml", directory / "flows" / "compensation.yaml")
        assert [s.name for s in load_complaint_definition(directory).flows["compensation"].steps][-1] == "finance"
        await handle.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=ACTOR, resolution="refund", compensation_amount=Decimal("60000")),
        )
        supervisor = await wait_for_open_task(sessions, handle.id)
        await _approve(client, sessions, supervisor, org.l1.id)
        director = await wait_for_open_task(sessions, handle.id, exclude={supervisor.id})
        await _approve(client, sessions, director, org.director.id)
        await _until(handle, lambda s: s.stage == "resolved")
    async with sessions() as session:
        request = await session.scalar(select(ApprovalRequest).where(ApprovalRequest.customer_id == customer.id))
    assert (request.flow_version, request.status) == (1, "approved")


async def test_the_requester_recalling_the_task_recalls_the_compensation(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    client = time_env.client
    requester = ActionActor(label=f"manager:staff:{org.l2.id}", staff_id=org.l2.id)
    async with run_worker(client):
        handle = await _start(client, settings.task_queue, customer.id, PACKAGED_DEFINITIONS_DIR)
        await handle.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=requester, resolution="refund", compensation_amount=Decimal("2000")),
        )
        task = await wait_for_open_task(sessions, handle.id)
        assert (task.requester_id, task.assignee_id, task.task_key) == (org.l2.id, org.l1.id, "compensation-1")
        await client.get_workflow_handle(task.decided_in).execute_update(
            "task.recall",
            TaskRecallInput(
                task_key=task.task_key, actor=TaskActor(role="manager", staff_id=org.l2.id, label=requester.label)
            ),
        )
        status = await _until(handle, lambda s: s.stage == "in_progress")
        assert status.compensation_amount is None
    async with sessions() as session:
        row = await session.get(Task, task.id)
        request = await session.scalar(select(ApprovalRequest).where(ApprovalRequest.customer_id == customer.id))
        actions = list(await session.scalars(select(AuditEvent.action).where(AuditEvent.workflow_id == handle.id)))
    assert row.status == "recalled" and request.status == "recalled"
    assert "complaint.compensation_recalled" in actions


def test_a_process_definition_names_its_flow_and_the_check_refuses_what_is_wrong(tmp_path: Path) -> None:
    directory = tmp_path / "definitions"
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__", "*.py", "demo"))
    complaint = directory / "complaint.yaml"
    text = complaint.read_text(encoding="utf-8")
    complaint.write_text(
        text.replace("compensation_flow: compensation", "compensation_flow: refunds"), encoding="utf-8"
    )
    _, issues = check_directory(directory)
    assert any("no flow named 'refunds'" in str(issue) for issue in issues), [str(i) for i in issues]
    complaint.write_text(text + "flows: {}\n", encoding="utf-8")
    _, issues = check_directory(directory)
    assert any(
        str(issue).startswith(f"{complaint}:") and "flows is set by the loader" in str(issue) for issue in issues
    ), [str(i) for i in issues]
