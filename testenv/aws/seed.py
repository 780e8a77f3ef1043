"""Seeds moto with what a plan's references name, in the right account and region.

    python3 -m testenv.aws.seed --endpoint http://127.0.0.1:PORT --account 222222222222 \
        --region us-west-2 [--ssm NAME=VALUE ...] [--secure-ssm NAME=VALUE ...] [--export NAME=VALUE ...]

The account is reached through sts:AssumeRole (moto maps the temporary keys to the role's
account). Exports are made with a CloudFormation stack whose outputs export them.
"""
import argparse
import json
import sys
import uuid

import boto3
from botocore.config import Config


def client(service, args, credentials=None):
    extra = credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=args.endpoint, region_name=args.region,
                        config=Config(retries={"max_attempts": 1}), **extra)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--role", default="lifeboat-seed")
    parser.add_argument("--ssm", action="append", default=[])
    parser.add_argument("--secure-ssm", action="append", default=[])
    parser.add_argument("--export", action="append", default=[])
    args = parser.parse_args()
    assumed = client("sts", args).assume_role(RoleArn=f"arn:aws:iam::{args.account}:role/{args.role}",
                                              RoleSessionName="seed")["Credentials"]
    credentials = {"aws_access_key_id": assumed["AccessKeyId"], "aws_secret_access_key": assumed["SecretAccessKey"],
                   "aws_session_token": assumed["SessionToken"]}
    ssm = client("ssm", args, credentials)
    for kind, pairs in (("String", args.ssm), ("SecureString", args.secure_ssm)):
        for pair in pairs:
            name, value = pair.split("=", 1)
            ssm.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)
    if args.export:
        outputs = {}
        for index, pair in enumerate(args.export):
            name, value = pair.split("=", 1)
            outputs[f"Output{index}"] = {"Value": value, "Export": {"Name": name}}
        template = {"Resources": {"Marker": {"Type": "AWS::SSM::Parameter",
                                             "Properties": {"Type": "String", "Value": "seed",
                                                            "Name": f"/lifeboat-seed/{uuid.uuid4().hex}"}}},
                    "Outputs": outputs}
        client("cloudformation", args, credentials).create_stack(
            StackName=f"lifeboat-seed-{uuid.uuid4().hex[:12]}", TemplateBody=json.dumps(template))
    print(json.dumps({"seeded": len(args.ssm) + len(args.secure_ssm) + len(args.export)}))


if __name__ == "__main__":
    sys.exit(main())
