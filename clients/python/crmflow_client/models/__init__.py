"""Contains all the data models used in inputs/outputs"""

from .accept_body import AcceptBody
from .acknowledge_body import AcknowledgeBody
from .add_approver_body import AddApproverBody
from .add_approver_body_position import AddApproverBodyPosition
from .appeal_body import AppealBody
from .approval_create import ApprovalCreate
from .approval_create_fields import ApprovalCreateFields
from .approval_create_subject_type_type_0 import ApprovalCreateSubjectTypeType0
from .approval_decision_body import ApprovalDecisionBody
from .approval_decision_body_decision import ApprovalDecisionBodyDecision
from .approval_decision_body_fields_type_0 import ApprovalDecisionBodyFieldsType0
from .approval_delegate_body import ApprovalDelegateBody
from .approval_detail import ApprovalDetail
from .approval_detail_fields import ApprovalDetailFields
from .approval_detail_steps_item import ApprovalDetailStepsItem
from .approval_event import ApprovalEvent
from .approval_event_details_type_0 import ApprovalEventDetailsType0
from .approval_events import ApprovalEvents
from .approval_list import ApprovalList
from .approval_out import ApprovalOut
from .approval_out_fields import ApprovalOutFields
from .approval_recall_body import ApprovalRecallBody
from .approvals_list_approvals_scope_type_0 import ApprovalsListApprovalsScopeType0
from .award_detail import AwardDetail
from .award_line_out import AwardLineOut
from .award_list import AwardList
from .award_out import AwardOut
from .change_body import ChangeBody
from .change_requested import ChangeRequested
from .check_in_out import CheckInOut
from .check_in_out_off_pace_item import CheckInOutOffPaceItem
from .check_in_out_response_type_0 import CheckInOutResponseType0
from .claim_out import ClaimOut
from .claim_request import ClaimRequest
from .comment_body import CommentBody
from .complaint_accepted import ComplaintAccepted
from .complaint_create import ComplaintCreate
from .complaint_create_severity import ComplaintCreateSeverity
from .complaint_list import ComplaintList
from .complaint_out import ComplaintOut
from .complaint_out_severity import ComplaintOutSeverity
from .complaint_out_stage import ComplaintOutStage
from .complaint_out_status import ComplaintOutStatus
from .complaints_list_all_severity_type_0 import ComplaintsListAllSeverityType0
from .complaints_list_all_status_type_0 import ComplaintsListAllStatusType0
from .complete_body import CompleteBody
from .complete_body_data import CompleteBodyData
from .compute_awards_body import ComputeAwardsBody
from .compute_awards_started import ComputeAwardsStarted
from .contact_in import ContactIn
from .contact_in_language import ContactInLanguage
from .contact_list import ContactList
from .contact_list_status import ContactListStatus
from .contact_out import ContactOut
from .contacts_list_contacts_route_status import ContactsListContactsRouteStatus
from .customer_accepted import CustomerAccepted
from .customer_create import CustomerCreate
from .customer_list import CustomerList
from .customer_out import CustomerOut
from .customer_response_body import CustomerResponseBody
from .customers_list_customers_route_status_type_0 import CustomersListCustomersRouteStatusType0
from .decide_body import DecideBody
from .decide_body_values import DecideBodyValues
from .decision_body import DecisionBody
from .decision_body_decision import DecisionBodyDecision
from .definition_detail import DefinitionDetail
from .definition_detail_definition import DefinitionDetailDefinition
from .definition_list import DefinitionList
from .definition_problem_out import DefinitionProblemOut
from .definition_summary import DefinitionSummary
from .delegate_body import DelegateBody
from .delivery_out import DeliveryOut
from .delivery_page_out import DeliveryPageOut
from .delivery_page_out_counts import DeliveryPageOutCounts
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .figures_out import FiguresOut
from .flow_list import FlowList
from .flow_out import FlowOut
from .flow_out_form import FlowOutForm
from .flow_out_steps_item import FlowOutStepsItem
from .flow_out_titles import FlowOutTitles
from .follow_up_create import FollowUpCreate
from .follow_up_create_channel import FollowUpCreateChannel
from .follow_up_list import FollowUpList
from .follow_up_out import FollowUpOut
from .health_healthz_response_health_healthz import HealthHealthzResponseHealthHealthz
from .invitation_list import InvitationList
from .invitation_out import InvitationOut
from .invitation_out_answers_type_0 import InvitationOutAnswersType0
from .list_notification_deliveries_channel_type_0 import ListNotificationDeliveriesChannelType0
from .list_notification_deliveries_status_type_0 import ListNotificationDeliveriesStatusType0
from .metric_out import MetricOut
from .notification_out import NotificationOut
from .notification_out_details_type_0 import NotificationOutDetailsType0
from .notification_page import NotificationPage
from .personal_webhook import PersonalWebhook
from .personal_webhook_format import PersonalWebhookFormat
from .plan_item import PlanItem
from .plan_item_out import PlanItemOut
from .pool_customer_out import PoolCustomerOut
from .pool_list import PoolList
from .preferences_in import PreferencesIn
from .preferences_in_channels import PreferencesInChannels
from .preferences_in_channels_additional_property_item import PreferencesInChannelsAdditionalPropertyItem
from .preferences_in_language_type_0 import PreferencesInLanguageType0
from .preferences_out import PreferencesOut
from .preferences_out_channels import PreferencesOutChannels
from .preferences_out_effective_channels import PreferencesOutEffectiveChannels
from .preferences_out_language import PreferencesOutLanguage
from .process_history import ProcessHistory
from .process_list import ProcessList
from .process_out import ProcessOut
from .process_out_search_attributes import ProcessOutSearchAttributes
from .process_out_state_type_0 import ProcessOutStateType0
from .process_summary import ProcessSummary
from .processes_list_processes_status_type_0 import ProcessesListProcessesStatusType0
from .processes_list_processes_type_type_0 import ProcessesListProcessesTypeType0
from .processes_process_history_format import ProcessesProcessHistoryFormat
from .progress_out import ProgressOut
from .quiet_hours import QuietHours
from .read_all_out import ReadAllOut
from .reassign_body import ReassignBody
from .recall_body import RecallBody
from .report_out import ReportOut
from .report_out_rows_item import ReportOutRowsItem
from .resolve_body import ResolveBody
from .resubmit_body import ResubmitBody
from .resubmit_body_fields_type_0 import ResubmitBodyFieldsType0
from .resume_body import ResumeBody
from .retry_out import RetryOut
from .review_cycle_list import ReviewCycleList
from .review_cycle_out import ReviewCycleOut
from .review_cycle_out_summary_type_0 import ReviewCycleOutSummaryType0
from .review_cycle_start import ReviewCycleStart
from .review_cycle_started import ReviewCycleStarted
from .review_decision_body import ReviewDecisionBody
from .review_decision_body_decision import ReviewDecisionBodyDecision
from .review_list import ReviewList
from .review_out import ReviewOut
from .review_out_kpis_type_0 import ReviewOutKpisType0
from .review_out_self_assessment_type_0 import ReviewOutSelfAssessmentType0
from .schedule_control import ScheduleControl
from .schedule_list import ScheduleList
from .schedule_run import ScheduleRun
from .schedule_view import ScheduleView
from .staff_create import StaffCreate
from .staff_list import StaffList
from .staff_out import StaffOut
from .staff_role import StaffRole
from .staff_update import StaffUpdate
from .survey_contact_out import SurveyContactOut
from .survey_contact_out_language import SurveyContactOutLanguage
from .target_detail import TargetDetail
from .target_detail_agreed_values_type_0 import TargetDetailAgreedValuesType0
from .target_detail_values import TargetDetailValues
from .target_list import TargetList
from .target_open import TargetOpen
from .target_opened import TargetOpened
from .target_out import TargetOut
from .target_out_agreed_values_type_0 import TargetOutAgreedValuesType0
from .target_version_out import TargetVersionOut
from .target_version_out_values import TargetVersionOutValues
from .targets_list_targets_scope_type_0 import TargetsListTargetsScopeType0
from .task_list import TaskList
from .task_out import TaskOut
from .task_out_context_type_0 import TaskOutContextType0
from .task_out_data_type_0 import TaskOutDataType0
from .task_out_form_type_0 import TaskOutFormType0
from .tasks_list_tasks_kind_type_0 import TasksListTasksKindType0
from .tasks_list_tasks_scope_type_0 import TasksListTasksScopeType0
from .team_figures_out import TeamFiguresOut
from .team_line import TeamLine
from .team_member import TeamMember
from .team_targets import TeamTargets
from .temporal_history_json import TemporalHistoryJson
from .temporal_history_json_events_item import TemporalHistoryJsonEventsItem
from .tier_reevaluation_out import TierReevaluationOut
from .tier_reevaluation_out_outcome import TierReevaluationOutOutcome
from .timeline_entry import TimelineEntry
from .timeline_entry_details import TimelineEntryDetails
from .timeline_entry_out import TimelineEntryOut
from .timeline_entry_out_details_type_0 import TimelineEntryOutDetailsType0
from .timeline_page import TimelinePage
from .transaction_create import TransactionCreate
from .transaction_list import TransactionList
from .transaction_out import TransactionOut
from .values_body import ValuesBody
from .values_body_values import ValuesBodyValues
from .wait_on_customer_body import WaitOnCustomerBody
from .wave_out import WaveOut
from .wave_request import WaveRequest

__all__ = (
    "AcceptBody",
    "AcknowledgeBody",
    "AddApproverBody",
    "AddApproverBodyPosition",
    "AppealBody",
    "ApprovalCreate",
    "ApprovalCreateFields",
    "ApprovalCreateSubjectTypeType0",
    "ApprovalDecisionBody",
    "ApprovalDecisionBodyDecision",
    "ApprovalDecisionBodyFieldsType0",
    "ApprovalDelegateBody",
    "ApprovalDetail",
    "ApprovalDetailFields",
    "ApprovalDetailStepsItem",
    "ApprovalEvent",
    "ApprovalEventDetailsType0",
    "ApprovalEvents",
    "ApprovalList",
    "ApprovalOut",
    "ApprovalOutFields",
    "ApprovalRecallBody",
    "ApprovalsListApprovalsScopeType0",
    "AwardDetail",
    "AwardLineOut",
    "AwardList",
    "AwardOut",
    "ChangeBody",
    "ChangeRequested",
    "CheckInOut",
    "CheckInOutOffPaceItem",
    "CheckInOutResponseType0",
    "ClaimOut",
    "ClaimRequest",
    "CommentBody",
    "ComplaintAccepted",
    "ComplaintCreate",
    "ComplaintCreateSeverity",
    "ComplaintList",
    "ComplaintOut",
    "ComplaintOutSeverity",
    "ComplaintOutStage",
    "ComplaintOutStatus",
    "ComplaintsListAllSeverityType0",
    "ComplaintsListAllStatusType0",
    "CompleteBody",
    "CompleteBodyData",
    "ComputeAwardsBody",
    "ComputeAwardsStarted",
    "ContactIn",
    "ContactInLanguage",
    "ContactList",
    "ContactListStatus",
    "ContactOut",
    "ContactsListContactsRouteStatus",
    "CustomerAccepted",
    "CustomerCreate",
    "CustomerList",
    "CustomerOut",
    "CustomerResponseBody",
    "CustomersListCustomersRouteStatusType0",
    "DecideBody",
    "DecideBodyValues",
    "DecisionBody",
    "DecisionBodyDecision",
    "DefinitionDetail",
    "DefinitionDetailDefinition",
    "DefinitionList",
    "DefinitionProblemOut",
    "DefinitionSummary",
    "DelegateBody",
    "DeliveryOut",
    "DeliveryPageOut",
    "DeliveryPageOutCounts",
    "ErrorBody",
    "ErrorDetail",
    "FiguresOut",
    "FlowList",
    "FlowOut",
    "FlowOutForm",
    "FlowOutStepsItem",
    "FlowOutTitles",
    "FollowUpCreate",
    "FollowUpCreateChannel",
    "FollowUpList",
    "FollowUpOut",
    "HealthHealthzResponseHealthHealthz",
    "InvitationList",
    "InvitationOut",
    "InvitationOutAnswersType0",
    "ListNotificationDeliveriesChannelType0",
    "ListNotificationDeliveriesStatusType0",
    "MetricOut",
    "NotificationOut",
    "NotificationOutDetailsType0",
    "NotificationPage",
    "PersonalWebhook",
    "PersonalWebhookFormat",
    "PlanItem",
    "PlanItemOut",
    "PoolCustomerOut",
    "PoolList",
    "PreferencesIn",
    "PreferencesInChannels",
    "PreferencesInChannelsAdditionalPropertyItem",
    "PreferencesInLanguageType0",
    "PreferencesOut",
    "PreferencesOutChannels",
    "PreferencesOutEffectiveChannels",
    "PreferencesOutLanguage",
    "ProcessesListProcessesStatusType0",
    "ProcessesListProcessesTypeType0",
    "ProcessesProcessHistoryFormat",
    "ProcessHistory",
    "ProcessList",
    "ProcessOut",
    "ProcessOutSearchAttributes",
    "ProcessOutStateType0",
    "ProcessSummary",
    "ProgressOut",
    "QuietHours",
    "ReadAllOut",
    "ReassignBody",
    "RecallBody",
    "ReportOut",
    "ReportOutRowsItem",
    "ResolveBody",
    "ResubmitBody",
    "ResubmitBodyFieldsType0",
    "ResumeBody",
    "RetryOut",
    "ReviewCycleList",
    "ReviewCycleOut",
    "ReviewCycleOutSummaryType0",
    "ReviewCycleStart",
    "ReviewCycleStarted",
    "ReviewDecisionBody",
    "ReviewDecisionBodyDecision",
    "ReviewList",
    "ReviewOut",
    "ReviewOutKpisType0",
    "ReviewOutSelfAssessmentType0",
    "ScheduleControl",
    "ScheduleList",
    "ScheduleRun",
    "ScheduleView",
    "StaffCreate",
    "StaffList",
    "StaffOut",
    "StaffRole",
    "StaffUpdate",
    "SurveyContactOut",
    "SurveyContactOutLanguage",
    "TargetDetail",
    "TargetDetailAgreedValuesType0",
    "TargetDetailValues",
    "TargetList",
    "TargetOpen",
    "TargetOpened",
    "TargetOut",
    "TargetOutAgreedValuesType0",
    "TargetsListTargetsScopeType0",
    "TargetVersionOut",
    "TargetVersionOutValues",
    "TaskList",
    "TaskOut",
    "TaskOutContextType0",
    "TaskOutDataType0",
    "TaskOutFormType0",
    "TasksListTasksKindType0",
    "TasksListTasksScopeType0",
    "TeamFiguresOut",
    "TeamLine",
    "TeamMember",
    "TeamTargets",
    "TemporalHistoryJson",
    "TemporalHistoryJsonEventsItem",
    "TierReevaluationOut",
    "TierReevaluationOutOutcome",
    "TimelineEntry",
    "TimelineEntryDetails",
    "TimelineEntryOut",
    "TimelineEntryOutDetailsType0",
    "TimelinePage",
    "TransactionCreate",
    "TransactionList",
    "TransactionOut",
    "ValuesBody",
    "ValuesBodyValues",
    "WaitOnCustomerBody",
    "WaveOut",
    "WaveRequest",
)
