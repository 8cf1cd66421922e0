"""Wires settings to real adapters: the one place the edges (Lambda, CLI, demo) build the service."""

from __future__ import annotations

from replydesk import classifier
from replydesk.aws.campaigns_table import CampaignsStore
from replydesk.aws.clients import ClientFactory
from replydesk.aws.mail_store import MailStore
from replydesk.aws.replies_table import RepliesTable
from replydesk.aws.targets_table import TargetsStore
from replydesk.campaigns import CampaignDirectory
from replydesk.intake_service import IntakeService
from replydesk.mime import ParseOptions
from replydesk.pipeline import Intake
from replydesk.settings import Settings


def client_factory(settings: Settings) -> ClientFactory:
    return ClientFactory(region=settings.region, endpoint_url=settings.endpoint_url)


def replies_table(settings: Settings, factory: ClientFactory | None = None) -> RepliesTable:
    factory = factory or client_factory(settings)
    return RepliesTable(factory.resource("dynamodb").Table(settings.table_name))


def load_classifier(settings: Settings) -> classifier.ReplyClassifier | None:
    try:
        return classifier.load(settings.model_path)
    except classifier.ModelLoadError:
        return None


def build_intake_service(settings: Settings, factory: ClientFactory | None = None) -> IntakeService:
    factory = factory or client_factory(settings)
    table = factory.resource("dynamodb").Table(settings.table_name)
    campaigns = CampaignDirectory(CampaignsStore(table).load())
    targets = TargetsStore(table)
    options = ParseOptions(own_addresses=settings.own_addresses)
    intake = Intake(load_classifier(settings), campaigns, options, targets)
    return IntakeService(intake, MailStore(factory.client("s3")), RepliesTable(table), targets)
