"""Cloud credentials: AWS key pairs and Google service-account JSON (detectors.md §3)."""

from __future__ import annotations

from keyguard.scan.rules._base import LEFT
from keyguard.scan.rules._base import LINE
from keyguard.scan.rules._base import Rule
from keyguard.scan.rules._base import Window
from keyguard.scan.rules.checks import not_hex_only
from keyguard.scan.rules.checks import pem_body_ok
from keyguard.scan.rules.checks import random_looking

AWS = "https://console.aws.amazon.com/iam/home#/security_credentials"
_mixed = random_looking(3, 3)


def aws_secret_ok(secret: bytes) -> bool:
    """Forty base64 characters that are not a hex digest and look random."""
    return not_hex_only(secret) and _mixed(secret)


RULES: tuple[Rule, ...] = (
    Rule(
        id="aws-access-key-id",
        provider="aws",
        description="AWS access key id (the public half of a key pair)",
        pattern=LEFT + r"(?P<public>AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])",
        keywords=("AKIA", "ASIA", "ABIA", "ACCA"),
        confidence="high",
        remediation=AWS,
        min_entropy=2.5,
        priority=10,
        env_var="AWS_ACCESS_KEY_ID",
        shape="`AKIA`/`ASIA`/`ABIA`/`ACCA` + 16 base32 characters",
    ),
    Rule(
        id="aws-secret-access-key",
        provider="aws",
        description="AWS secret access key (assigned to an AWS secret-key name)",
        pattern=r"(?i:aws)[\w.\-]{0,20}?(?i:secret)[\w.\-]{0,20}['\"]?\s*(?:=|:|=>|,)\s*['\"]?"
        + r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        keywords=("aws_secret", "AWS_SECRET", "AwsSecret", "awsSecret", "aws_secret_access_key"),
        window=LINE,
        confidence="high",
        remediation=AWS,
        min_entropy=4.0,
        check=aws_secret_ok,
        priority=15,
        env_var="AWS_SECRET_ACCESS_KEY",
        shape="40 of `[A-Za-z0-9/+]` assigned to an `aws…secret…` name",
    ),
    Rule(
        id="aws-secret-access-key-paired",
        provider="aws",
        description="AWS secret access key next to its access key id",
        pattern=r"(?<![A-Za-z0-9/+=])(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        keywords=("AKIA", "ASIA"),
        window=Window(before=400, after=400, line=False),
        confidence="high",
        remediation=AWS,
        min_entropy=4.0,
        check=aws_secret_ok,
        priority=16,
        env_var="AWS_SECRET_ACCESS_KEY",
        shape="40 of `[A-Za-z0-9/+]`, high entropy, within 400 bytes of an access key id",
    ),
    Rule(
        id="aws-bedrock-api-key",
        provider="aws",
        description="Amazon Bedrock API key (long-lived or short-lived)",
        pattern=LEFT
        + r"(?:(?P<public>ABSKQmVkcm9ja0FQSUtleS)[A-Za-z0-9+/]{100,400}={0,2}"
        + r"|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%]{100,4000})"
        + r"(?![A-Za-z0-9+/=%])",
        keywords=("ABSKQmVkcm9ja0FQSUtleS", "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t"),
        confidence="high",
        remediation="https://console.aws.amazon.com/bedrock/home#/api-keys",
        min_entropy=4.0,
        priority=10,
        env_var="AWS_BEARER_TOKEN_BEDROCK",
        shape="`ABSK` + base64 of `BedrockAPIKey-…` (long-lived), or `bedrock-api-key-` + base64 "
        "of a presigned `bedrock.amazonaws.com` URL (short-lived)",
    ),
    Rule(
        id="gcp-service-account-key",
        provider="google",
        description="Google Cloud service-account private key (JSON key file)",
        pattern=r"\"private_key\"\s*:\s*\"(?P<secret>-----BEGIN PRIVATE KEY-----[^\"]{64,}?"
        + r"-----END PRIVATE KEY-----(?:\\n)?)\"(?=[\s\S]{0,4096}?gserviceaccount\.com)",
        keywords=('"private_key"',),
        window=Window(before=0, after=8192, line=False),
        confidence="high",
        remediation="https://console.cloud.google.com/iam-admin/serviceaccounts",
        check=pem_body_ok,
        placeholder_filter=False,
        priority=5,
        env_var="GOOGLE_APPLICATION_CREDENTIALS",
        shape='`"private_key": "-----BEGIN PRIVATE KEY-----…"` in a JSON object naming a '
        "`gserviceaccount.com` client",
    ),
)
