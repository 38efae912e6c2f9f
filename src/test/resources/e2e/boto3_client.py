"""Drives the emulator with boto3, as a Python user would: no flags beyond endpoint_url, except
for DiscoverInstances, which needs host prefix injection turned off (see below).

Prints one JSON object with what it saw; exits non-zero on any surprise.
"""
import json
import sys
import time

import boto3
import botocore.config

endpoint = sys.argv[1]
credentials = dict(region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="secret")
client = boto3.client("servicediscovery", endpoint_url=endpoint, **credentials)
# DiscoverInstances carries the host prefix "data-" in the API model, and botocore prepends it even
# to a custom endpoint: data-127.0.0.1 does not resolve. This client leaves the host alone.
data_client = boto3.client("servicediscovery", endpoint_url=endpoint,
                           config=botocore.config.Config(inject_host_prefix=False), **credentials)


def await_operation(operation_id):
    """Polls GetOperation until SUCCESS or FAIL (bounded); returns the statuses seen and the last operation."""
    seen = []
    deadline = time.time() + 20
    while time.time() < deadline:
        current = client.get_operation(OperationId=operation_id)["Operation"]
        if not seen or seen[-1] != current["Status"]:
            seen.append(current["Status"])
        if current["Status"] in ("SUCCESS", "FAIL"):
            break
        time.sleep(0.05)
    return seen, current


operation_id = client.create_http_namespace(Name="boto3-ns", CreatorRequestId="boto3-1")["OperationId"]
statuses, operation = await_operation(operation_id)
namespace_id = operation["Targets"].get("NAMESPACE")

service_id = client.create_service(Name="web", NamespaceId=namespace_id)["Service"]["Id"]
registration = client.register_instance(ServiceId=service_id, InstanceId="i-boto3",
                                        Attributes={"AWS_INSTANCE_IPV4": "10.0.0.7", "zone": "a b"})
registration_statuses, _ = await_operation(registration["OperationId"])
discovered = data_client.discover_instances(NamespaceName="boto3-ns", ServiceName="web",
                                            QueryParameters={"zone": "a b"})["Instances"]

namespaces = [ns["Name"] for page in client.get_paginator("list_namespaces").paginate() for ns in page["Namespaces"]]

try:
    client.get_operation(OperationId="no-such-operation")
    not_found = "no error"
except client.exceptions.OperationNotFound as error:
    not_found = error.response["Error"]["Code"]

print(json.dumps({
    "statuses": statuses,
    "namespaceId": namespace_id,
    "registrationStatuses": registration_statuses,
    "discovered": [{"id": i["InstanceId"], "ipv4": i["Attributes"].get("AWS_INSTANCE_IPV4")} for i in discovered],
    "createDateType": type(operation["CreateDate"]).__name__,
    "namespaces": namespaces,
    "notFound": not_found,
}))
