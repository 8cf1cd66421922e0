"""The embedded default: an in-process moto server with the resources template.yaml declares.

Names and settings come from template.yaml itself (a CloudFormation-tag-aware YAML loader and a
small resolver for Ref/Sub/GetAtt), so the demo's table keys and indexes are the deployed ones.
moto's CloudFormation skips bucket policies and SES resources, so everything is created with
explicit API calls instead.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from replydesk.aws.clients import ClientFactory
from replydesk.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = REPO_ROOT / "template.yaml"
STACK_NAME = "replydesk-demo"
ACCOUNT = "123456789012"
REGION = "eu-west-1"


class _CfnLoader(yaml.SafeLoader):
    """Reads !Ref, !Sub, !GetAtt, !If… as their long forms ({"Fn::Sub": ...})."""


def _cfn_constructor(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _cfn_constructor)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)


@dataclass
class TemplateResolver:
    """Resolves the intrinsic functions the template uses, with parameter defaults."""

    template: dict[str, Any]
    stack_name: str = STACK_NAME

    def __post_init__(self) -> None:
        self.params = {k: v.get("Default", "") for k, v in self.template.get("Parameters", {}).items()}
        self.pseudo = {
            "AWS::StackName": self.stack_name,
            "AWS::AccountId": ACCOUNT,
            "AWS::Region": REGION,
            "AWS::Partition": "aws",
        }

    def physical_name(self, logical: str) -> str:
        props = self.template["Resources"][logical].get("Properties", {})
        for key in ("BucketName", "TableName", "QueueName", "RuleSetName", "FunctionName"):
            if key in props:
                return self.resolve(props[key])
        return f"{self.stack_name}-{logical.lower()}"

    def arn(self, logical: str) -> str:
        kind = self.template["Resources"][logical]["Type"]
        name = self.physical_name(logical)
        return {
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}",
            "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}",
        }.get(kind, f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                if arg in self.params:
                    return self.params[arg]
                if arg in self.pseudo:
                    return self.pseudo[arg]
                return self.physical_name(arg)
            if key == "Fn::GetAtt":
                logical, attr = arg
                return self.arn(logical) if attr == "Arn" else self.physical_name(logical)
            if key == "Fn::Sub":
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1)), arg)
            if key == "Fn::If":
                return self.resolve(arg[1])
        return {k: self.resolve(v) for k, v in value.items()}

    def _sub(self, name: str) -> str:
        if name in self.params:
            return str(self.params[name])
        if name in self.pseudo:
            return self.pseudo[name]
        if "." in name:
            logical, attr = name.split(".", 1)
            return self.arn(logical) if attr == "Arn" else self.physical_name(logical)
        return self.physical_name(name)

    def properties(self, logical: str) -> dict[str, Any]:
        return self.resolve(self.template["Resources"][logical].get("Properties", {}))

    def logicals_of(self, kind: str) -> list[str]:
        return [k for k, v in self.template["Resources"].items() if v["Type"] == kind]

    def logical_of(self, kind: str, referring_property: str | None = None) -> str:
        """The one resource of a kind; with ``referring_property``, the resource that property refers to."""
        logical = self.logicals_of(kind)[0]
        if referring_property is None:
            return logical
        return self.template["Resources"][logical]["Properties"][referring_property]["Ref"]


@dataclass(frozen=True)
class LocalResources:
    bucket: str
    prefix: str
    table: str
    queue_url: str
    rule_set: str
    exports_bucket: str = ""


def provision(factory: ClientFactory, resolver: TemplateResolver) -> LocalResources:
    """Create bucket, table, queue and SES rules as template.yaml declares them."""
    s3 = factory.client("s3")
    buckets = {logical: _create_bucket(s3, resolver, logical) for logical in resolver.logicals_of("AWS::S3::Bucket")}
    bucket = buckets[resolver.logical_of("AWS::S3::BucketPolicy", "Bucket")]
    policy = resolver.properties(resolver.logical_of("AWS::S3::BucketPolicy"))["PolicyDocument"]
    # moto applies Deny statements without evaluating their conditions, so the TLS-only Deny
    # would refuse every local call; the Allow statements are kept as declared.
    policy["Statement"] = [st for st in policy["Statement"] if st["Effect"] != "Deny"]
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    exports_bucket = next((name for name in buckets.values() if name != bucket), "")

    table_props = resolver.properties(resolver.logical_of("AWS::DynamoDB::Table"))
    dynamodb = factory.client("dynamodb")
    dynamodb.create_table(
        TableName=table_props["TableName"],
        BillingMode=table_props["BillingMode"],
        AttributeDefinitions=table_props["AttributeDefinitions"],
        KeySchema=table_props["KeySchema"],
        GlobalSecondaryIndexes=table_props["GlobalSecondaryIndexes"],
        SSESpecification={"Enabled": table_props["SSESpecification"]["SSEEnabled"]},
    )
    dynamodb.update_continuous_backups(
        TableName=table_props["TableName"],
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )

    queue_props = resolver.properties(resolver.logical_of("AWS::SQS::Queue"))
    queue_url = factory.client("sqs").create_queue(
        QueueName=queue_props["QueueName"],
        Attributes={
            "MessageRetentionPeriod": str(queue_props["MessageRetentionPeriod"]),
            "SqsManagedSseEnabled": str(queue_props["SqsManagedSseEnabled"]).lower(),
        },
    )["QueueUrl"]

    function_arn = _register_function(factory, resolver)
    rule_set = resolver.physical_name(resolver.logical_of("AWS::SES::ReceiptRuleSet"))
    rule = resolver.properties(resolver.logical_of("AWS::SES::ReceiptRule"))["Rule"]
    ses = factory.client("ses")
    ses.create_receipt_rule_set(RuleSetName=rule_set)
    ses.create_receipt_rule(
        RuleSetName=rule_set,
        Rule={
            "Name": rule["Name"],
            "Enabled": rule["Enabled"],
            "ScanEnabled": rule["ScanEnabled"],
            "TlsPolicy": rule["TlsPolicy"],
            "Recipients": [r for r in _as_list(rule["Recipients"]) if r],
            "Actions": [
                {"S3Action": a["S3Action"]}
                if "S3Action" in a
                else {"LambdaAction": {**a["LambdaAction"], "FunctionArn": function_arn}}
                for a in rule["Actions"]
            ],
        },
    )
    ses.set_active_receipt_rule_set(RuleSetName=rule_set)
    prefix = next(a["S3Action"]["ObjectKeyPrefix"] for a in rule["Actions"] if "S3Action" in a)
    return LocalResources(bucket, prefix, table_props["TableName"], queue_url, rule_set, exports_bucket)


def _create_bucket(s3: Any, resolver: TemplateResolver, logical: str) -> str:
    name = resolver.physical_name(logical)
    props = resolver.properties(logical)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"]}
                  for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]]})
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
    if "VersioningConfiguration" in props:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
    rules = []
    for rule in props.get("LifecycleConfiguration", {}).get("Rules", []):
        converted: dict[str, Any] = {"ID": rule["Id"], "Status": rule["Status"],
                                     "Filter": {"Prefix": rule.get("Prefix", "")},
                                     "Expiration": {"Days": int(rule["ExpirationInDays"])}}
        if "NoncurrentVersionExpiration" in rule:
            converted["NoncurrentVersionExpiration"] = {
                "NoncurrentDays": int(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])}
        if "AbortIncompleteMultipartUpload" in rule:
            converted["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
        rules.append(converted)
    if rules:
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
    return name


def _register_function(factory: ClientFactory, resolver: TemplateResolver) -> str:
    """Register the intake function with moto so the SES rule can name it.

    moto records it only: the demo and tests run the very same handler in-process, since moto
    would need Docker to execute Lambda code.
    """
    logical = resolver.logical_of("AWS::Serverless::Function")
    props = resolver.properties(logical)
    globals_ = resolver.resolve(resolver.template.get("Globals", {}).get("Function", {}))
    role = factory.client("iam").create_role(
        RoleName=f"{resolver.stack_name}-intake-role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("README.txt", "replydesk intake: runs in-process in the local demo")
    return factory.client("lambda").create_function(
        FunctionName=f"{resolver.stack_name}-{logical}",
        Runtime=globals_.get("Runtime", "python3.12"),
        Role=role,
        Handler=props["Handler"],
        Code={"ZipFile": archive.getvalue()},
        Timeout=int(props.get("Timeout", 60)),
        MemorySize=int(props.get("MemorySize", 1024)),
    )["FunctionArn"]


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    return [v.strip() for v in str(value).split(",")]


_LOCAL_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "replydesk",
    "POWERTOOLS_METRICS_NAMESPACE": "replydesk",
}


def _reset(endpoint: str) -> None:
    """moto keeps its state per process: start and end every local run with empty services."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


@contextmanager
def local_aws(stack_name: str = STACK_NAME, quiet: bool = True) -> Iterator[tuple[Settings, LocalResources]]:
    """Start moto on a free loopback port, provision the template, yield settings pointing at it."""
    from moto.server import ThreadedMotoServer

    saved = {
        k: os.environ.get(k)
        for k in (
            *_LOCAL_ENV,
            "AWS_ENDPOINT_URL",
            "POWERTOOLS_METRICS_DISABLED",
            "POWERTOOLS_LOG_LEVEL",
            "AWS_CONFIG_FILE",
            "AWS_SHARED_CREDENTIALS_FILE",
        )
    }
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = ""
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        _reset(endpoint)
        os.environ.update(_LOCAL_ENV)
        os.environ["AWS_ENDPOINT_URL"] = endpoint
        os.environ["AWS_CONFIG_FILE"] = os.devnull
        os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        if quiet:
            os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
            os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
        resolver = TemplateResolver(load_template(), stack_name)
        factory = ClientFactory(region=REGION, endpoint_url=endpoint)
        resources = provision(factory, resolver)
        env = dict(os.environ)
        env.update(
            {
                "TABLE_NAME": resources.table,
                "RAW_BUCKET": resources.bucket,
                "RAW_PREFIX": resources.prefix,
                "CAMPAIGN_INBOX_ADDRESSES": os.environ.get("CAMPAIGN_INBOX_ADDRESSES", "inbox@campaign.example"),
            }
        )
        yield Settings.from_env(env), resources
    finally:
        if endpoint:
            _reset(endpoint)
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
