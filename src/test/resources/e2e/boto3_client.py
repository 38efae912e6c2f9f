"""Drives the emulator with boto3, as a Python user would: no flags beyond endpoint_url.

Prints one JSON object with what it saw; exits non-zero on any surprise.
"""
import json
import sys
import time

import boto3

endpoint = sys.argv[1]
client = boto3.client("servicediscovery", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="AKIDTEST", aws_secret_access_key="secret")

operation_id = client.create_http_namespace(Name="boto3-ns", CreatorRequestId="boto3-1")["OperationId"]
statuses = []
deadline = time.time() + 20
while time.time() < deadline:
    operation = client.get_operation(OperationId=operation_id)["Operation"]
    if not statuses or statuses[-1] != operation["Status"]:
        statuses.append(operation["Status"])
    if operation["Status"] in ("SUCCESS", "FAIL"):
        break
    time.sleep(0.05)

namespaces = [ns["Name"] for page in client.get_paginator("list_namespaces").paginate() for ns in page["Namespaces"]]

try:
    client.get_operation(OperationId="no-such-operation")
    not_found = "no error"
except client.exceptions.OperationNotFound as error:
    not_found = error.response["Error"]["Code"]

print(json.dumps({
    "statuses": statuses,
    "namespaceId": operation["Targets"].get("NAMESPACE"),
    "createDateType": type(operation["CreateDate"]).__name__,
    "namespaces": namespaces,
    "notFound": not_found,
}))
