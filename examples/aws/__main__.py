"""Export jobs in a real AWS account, with everything they need, made by pulumi_aws.

Config (pulumi config set ...):
    forecastArn    the forecast to export (required)
    predictorArn   the predictor whose backtest to export (required)
    useKms         true to encrypt the exports with a new customer managed key (default false)
    aws:region     as for any pulumi-aws stack
    aws:profile, aws:assumeRoles, aws:allowedAccountIds, ...
                   the credentials and guard rails of pulumi-aws; they govern the export jobs
                   too (see Pulumi.dev.yaml, a sample, and the README's Configuration)

The role trusts forecast.amazonaws.com from this account only, may list the
bucket and read and write its objects, and may use the key when there is one.
The caller needs iam:PassRole on it, as for any role handed to Forecast.
"""

import json

import pulumi
import pulumi_aws as aws

from pulumi_aws_forecast import (
    DataDestinationArgs,
    ForecastExportJob,
    PredictorBacktestExportJob,
    S3ConfigArgs,
)

config = pulumi.Config()
forecast_arn = config.require("forecastArn")
predictor_arn = config.require("predictorArn")
use_kms = config.get_bool("useKms") or False

identity = aws.get_caller_identity_output()
region = aws.get_region_output()

bucket = aws.s3.Bucket("exports", force_destroy=True)
aws.s3.BucketPublicAccessBlock(
    "exports",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)

role = aws.iam.Role(
    "forecast-exports",
    description="Lets Amazon Forecast write export jobs to the exports bucket",
    assume_role_policy=pulumi.Output.all(identity.account_id, region.region).apply(
        lambda args: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "forecast.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        # Confused-deputy protection: only Forecast acting for this account.
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": args[0]},
                            "ArnLike": {"aws:SourceArn": f"arn:aws:forecast:{args[1]}:{args[0]}:*"},
                        },
                    }
                ],
            }
        )
    ),
)

key = None
if use_kms:
    key = aws.kms.Key(
        "exports",
        description="Encrypts Forecast exports",
        enable_key_rotation=True,
        policy=pulumi.Output.all(identity.account_id, role.arn).apply(
            lambda args: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AccountAdministers",
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{args[0]}:root"},
                            "Action": "kms:*",
                            "Resource": "*",
                        },
                        {
                            "Sid": "ForecastRoleUses",
                            "Effect": "Allow",
                            "Principal": {"AWS": args[1]},
                            "Action": [
                                "kms:Decrypt",
                                "kms:Encrypt",
                                "kms:GenerateDataKey*",
                                "kms:DescribeKey",
                            ],
                            "Resource": "*",
                        },
                    ],
                }
            )
        ),
    )


def role_policy(bucket_arn: str, key_arn: str | None) -> str:
    statements: list[dict[str, object]] = [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": bucket_arn},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{bucket_arn}/*"},
    ]
    if key_arn:
        statements.append(
            {
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": key_arn,
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


policy = aws.iam.RolePolicy(
    "forecast-exports",
    role=role.id,
    policy=pulumi.Output.all(bucket.arn, key.arn if key else None).apply(lambda a: role_policy(a[0], a[1])),
)

# The jobs start as soon as they are created: make them wait for the role's permissions.
after_policy = pulumi.ResourceOptions(depends_on=[policy])
key_arn = key.arn if key else None

forecast_export = ForecastExportJob(
    "daily",
    forecast_arn=forecast_arn,
    destination=DataDestinationArgs(
        s3_config=S3ConfigArgs(
            path=bucket.bucket.apply(lambda b: f"s3://{b}/forecasts/daily/"),
            role_arn=role.arn,
            kms_key_arn=key_arn,
        )
    ),
    tags={"team": "demand"},
    opts=after_policy,
)

backtest_export = PredictorBacktestExportJob(
    "backtest",
    predictor_arn=predictor_arn,
    destination=DataDestinationArgs(
        s3_config=S3ConfigArgs(
            path=bucket.bucket.apply(lambda b: f"s3://{b}/backtests/"),
            role_arn=role.arn,
            kms_key_arn=key_arn,
        )
    ),
    format="PARQUET",
    tags={"team": "demand"},
    opts=after_policy,
)

pulumi.export("bucket", bucket.bucket)
pulumi.export("role_arn", role.arn)
pulumi.export("forecast_export_arn", forecast_export.arn)
pulumi.export("backtest_export_arn", backtest_export.arn)
