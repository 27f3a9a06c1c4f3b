"""Fake credentials built at run time, valid in shape (checksums included) for every rule.

Nothing here is a literal key: each token is assembled from a prefix and random characters,
so this repository holds no string a scanner would flag.  ``plant(rule_id, rng)`` returns a
realistic line holding a fresh token and the token itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
from collections.abc import Callable

from keyguard.scan.rules.checks import crc32_base62

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"
B64 = ALNUM + "+/"


def rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def anthropic(rng: random.Random, kind: str = "api03") -> str:
    return f"sk-ant-{kind}-" + rand(rng, URLSAFE, 93) + "AA"


def openai_project(rng: random.Random, kind: str = "proj") -> str:
    return f"sk-{kind}-" + rand(rng, URLSAFE, 74) + "T3Blbk" + "FJ" + rand(rng, URLSAFE, 73) + "A"


def openai_admin(rng: random.Random) -> str:
    return "sk-admin-" + rand(rng, URLSAFE, 58) + "T3Blbk" + "FJ" + rand(rng, URLSAFE, 58)


def openai_legacy(rng: random.Random) -> str:
    return "sk-" + rand(rng, ALNUM, 20) + "T3Blbk" + "FJ" + rand(rng, ALNUM, 20)


def github_classic(rng: random.Random, prefix: str = "ghp") -> str:
    body = rand(rng, ALNUM, 30)
    return f"{prefix}_" + body + crc32_base62(body.encode()).decode()


def github_fine_grained(rng: random.Random) -> str:
    body = (
        "github_pat_"
        + rand(rng, string.digits, 1)
        + rand(rng, ALNUM, 21)
        + "_"
        + rand(rng, ALNUM, 43)
    )
    checksum = base64.b32encode(hashlib.sha256(body.encode()).digest())[:8].decode()
    return body + checksum + rand(rng, ALNUM, 8)


def npm(rng: random.Random) -> str:
    body = rand(rng, ALNUM, 30)
    return "npm_" + body + crc32_base62(body.encode()).decode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(rng: random.Random, payload: dict[str, object] | None = None) -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = payload or {
        "iss": "supabase",
        "ref": rand(rng, string.ascii_lowercase, 20),
        "role": "service_role",
        "iat": 1700000000,
        "exp": 4100000000,
    }
    body = _b64url(json.dumps(claims).encode())
    return f"{header}.{body}.{rand(rng, URLSAFE, 43)}"


def pem_body(rng: random.Random, size: int = 1190) -> str:
    der = b"\x30\x82\x04\xa4" + bytes(rng.getrandbits(8) for _ in range(size))
    text = base64.b64encode(der).decode()
    return "\n".join(text[i : i + 64] for i in range(0, len(text), 64))


def private_key(rng: random.Random, kind: str = "RSA ") -> str:
    label = f"{kind}PRIVATE KEY"
    return f"-----BEGIN {label}-----\n{pem_body(rng)}\n-----END {label}-----"


def service_account(rng: random.Random) -> tuple[str, str]:
    pem = "-----BEGIN PRIVATE KEY-----\n" + pem_body(rng) + "\n-----END PRIVATE KEY-----\n"
    project = "proj-" + rand(rng, string.ascii_lowercase + string.digits, 8)
    document = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": rand(rng, HEX, 40),
        "private_key": pem,
        "client_email": f"deployer@{project}.iam.gserviceaccount.com",
        "client_id": rand(rng, string.digits, 21),
    }
    text = json.dumps(document, indent=2)
    return text, json.dumps(pem)[1:-1]


def aws_key_id(rng: random.Random) -> str:
    return "AKIA" + rand(rng, B32, 16)


def aws_secret(rng: random.Random) -> str:
    return rand(rng, B64, 40)


Plant = tuple[str, str]  # (a line or block of text holding the token, the token)


def _line(fmt: str, token: str) -> Plant:
    return fmt.format(token), token


def _ctx(fmt: str, make: Callable[[random.Random], str]) -> Callable[[random.Random], Plant]:
    return lambda rng: _line(fmt, make(rng))


def _aws_pair(rng: random.Random) -> Plant:
    secret = aws_secret(rng)
    return f'{{"AccessKeyId": "{aws_key_id(rng)}",\n "SecretAccessKey": "{secret}"}}', secret


def _aws_named(rng: random.Random) -> Plant:
    secret = aws_secret(rng)
    return f"[default]\naws_secret_access_key = {secret}", secret


def _pg(rng: random.Random) -> Plant:
    password = rand(rng, ALNUM, 20)
    return f"DATABASE_URL=postgres://app:{password}@db.internal:5432/app", password


def _slack_webhook(rng: random.Random) -> str:
    path = (
        "T"
        + rand(rng, string.ascii_uppercase + string.digits, 8)
        + "/B"
        + rand(rng, string.ascii_uppercase + string.digits, 10)
        + "/"
        + rand(rng, ALNUM, 24)
    )
    return "https://hooks.slack.com/services/" + path


def bedrock_long_lived(rng: random.Random) -> str:
    raw = (
        b"BedrockAPIKey-"
        + rand(rng, ALNUM, 12).encode()
        + b"-at-"
        + rand(rng, string.digits, 12).encode()
    )
    return "ABSK" + base64.b64encode(raw + b":" + rand(rng, B64, 60).encode()).decode()


def bedrock_short_lived(rng: random.Random) -> str:
    url = (
        "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential=ASIA{rand(rng, B32, 16)}%2F20260301%2Fus-east-1%2Fbedrock"
        "%2Faws4_request"
        f"&X-Amz-Date=20260301T120000Z&X-Amz-Expires=43200&X-Amz-Signature={rand(rng, HEX, 64)}"
    )
    return "bedrock-api-key-" + base64.b64encode(url.encode()).decode()


def _ghs_installation(rng: random.Random) -> str:
    return "ghs_" + rand(rng, string.digits, 8) + "_" + jwt(rng)


PLANTS: dict[str, Callable[[random.Random], Plant]] = {
    "anthropic-api-key": _ctx('export ANTHROPIC_API_KEY="{}"', anthropic),
    "anthropic-admin-key": _ctx("ANTHROPIC_ADMIN_KEY={}", lambda r: anthropic(r, "admin01")),
    "anthropic-oauth-token": _ctx(
        '"CLAUDE_CODE_OAUTH_TOKEN": "{}",', lambda r: anthropic(r, "oat01")
    ),
    "openrouter-api-key": _ctx("OPENROUTER_API_KEY='{}'", lambda r: "sk-or-v1-" + rand(r, HEX, 64)),
    "langfuse-secret-key": _ctx(
        'secret_key = "{}"', lambda r: "sk-lf-" + str(uuid.UUID(int=r.getrandbits(128)))
    ),
    "openai-project-key": _ctx("client = OpenAI(api_key='{}')", openai_project),
    "openai-admin-key": _ctx("OPENAI_ADMIN_KEY={}", openai_admin),
    "openai-legacy-key": _ctx("openai.api_key = '{}'", openai_legacy),
    "xai-api-key": _ctx('XAI_API_KEY="{}"', lambda r: "xai-" + rand(r, ALNUM, 80)),
    "groq-api-key": _ctx(
        "GROQ_API_KEY={}",
        lambda r: "gsk_" + rand(r, ALNUM, 20) + "WGdy" + "b3FY" + rand(r, ALNUM, 24),
    ),
    "huggingface-token": _ctx(
        "huggingface-cli login --token {}", lambda r: "hf_" + rand(r, string.ascii_letters, 34)
    ),
    "gemini-api-key": _ctx("GEMINI_API_KEY={}", lambda r: "AIzaSy" + rand(r, URLSAFE, 33)),
    "google-api-key": _ctx('  apiKey: "{}",', lambda r: "AIza" + rand(r, URLSAFE, 35)),
    "perplexity-api-key": _ctx('PPLX_KEY = "{}"', lambda r: "pplx-" + rand(r, ALNUM, 48)),
    "replicate-api-token": _ctx(
        "export REPLICATE_API_TOKEN={}", lambda r: "r8_" + rand(r, ALNUM, 37)
    ),
    "together-api-key": _ctx("TOGETHER_API_KEY={}", lambda r: "tgp_v1_" + rand(r, URLSAFE, 43)),
    "fireworks-api-key": _ctx('"FIREWORKS_API_KEY": "{}"', lambda r: "fw_" + rand(r, ALNUM, 24)),
    "cerebras-api-key": _ctx(
        "CEREBRAS_API_KEY={}",
        lambda r: "csk-" + rand(r, string.ascii_lowercase + string.digits, 48),
    ),
    "nvidia-api-key": _ctx("NVIDIA_API_KEY={}", lambda r: "nvapi-" + rand(r, URLSAFE, 64)),
    "langsmith-api-key": _ctx(
        "LANGSMITH_API_KEY={}", lambda r: "lsv2_pt_" + rand(r, HEX, 32) + "_" + rand(r, HEX, 10)
    ),
    "tavily-api-key": _ctx("TAVILY_API_KEY={}", lambda r: "tvly-dev-" + rand(r, ALNUM, 32)),
    "oneclaw-agent-key": _ctx(
        '      "ONECLAW_API_KEY": "{}"', lambda r: "ocv_" + rand(r, URLSAFE, 43)
    ),
    "deepseek-api-key": _ctx("DEEPSEEK_API_KEY={}", lambda r: "sk-" + rand(r, HEX, 32)),
    "mistral-api-key": _ctx("MISTRAL_API_KEY={}", lambda r: rand(r, ALNUM, 32)),
    "cohere-api-key": _ctx('cohere_api_key = "{}"', lambda r: rand(r, ALNUM, 40)),
    "github-token": _ctx("//github.com/:_authToken={}", github_classic),
    "github-fine-grained-token": _ctx("GH_TOKEN={}", github_fine_grained),
    "github-app-installation-token": _ctx("token: {}", _ghs_installation),
    "gitlab-token": _ctx("GITLAB_TOKEN={}", lambda r: "glpat-" + rand(r, URLSAFE, 20)),
    "gitlab-pipeline-trigger-token": _ctx(
        "curl -F token={} https://gitlab.example.com", lambda r: "glptt-" + rand(r, HEX, 40)
    ),
    "npm-token": _ctx("//registry.npmjs.org/:_authToken={}", npm),
    "pypi-token": _ctx("password = {}", lambda r: "pypi-AgEIcHlwaS5vcmc" + rand(r, URLSAFE, 150)),
    "aws-access-key-id": _ctx("aws_access_key_id = {}", aws_key_id),
    "aws-secret-access-key": _aws_named,
    "aws-secret-access-key-paired": _aws_pair,
    "gcp-service-account-key": service_account,
    "aws-bedrock-api-key": _ctx("AWS_BEARER_TOKEN_BEDROCK={}", bedrock_long_lived),
    "authorization-header": _ctx(
        'curl -H "Authorization: Bearer {}" https://api.internal.test/v1',
        lambda r: rand(r, ALNUM, 40),
    ),
    "curl-basic-auth": _ctx(
        "curl -fsS -u deploy:{} https://ci.internal.test/hook", lambda r: rand(r, ALNUM, 18)
    ),
    "stripe-live-key": _ctx("STRIPE_SECRET_KEY={}", lambda r: "sk_live_51" + rand(r, ALNUM, 97)),
    "stripe-test-key": _ctx("stripe.api_key = '{}'", lambda r: "sk_test_51" + rand(r, ALNUM, 97)),
    "slack-token": _ctx(
        "SLACK_BOT_TOKEN={}",
        lambda r: (
            "xoxb-"
            + rand(r, string.digits, 12)
            + "-"
            + rand(r, string.digits, 13)
            + "-"
            + rand(r, ALNUM, 24)
        ),
    ),
    "slack-webhook-url": _ctx("webhook: {}", _slack_webhook),
    "sendgrid-api-key": _ctx(
        "SENDGRID_API_KEY={}", lambda r: "SG." + rand(r, URLSAFE, 22) + "." + rand(r, URLSAFE, 43)
    ),
    "twilio-api-key": _ctx("TWILIO_API_KEY={}", lambda r: "SK" + rand(r, HEX, 32)),
    "twilio-auth-token": _ctx("TWILIO_AUTH_TOKEN={}", lambda r: rand(r, HEX, 32)),
    "private-key": lambda r: (lambda k: (k, k))(private_key(r)),
    "jwt": _ctx("SUPABASE_SERVICE_ROLE_KEY={}", jwt),
    "database-url": _pg,
    "generic-secret-assignment": _ctx('INTERNAL_SERVICE_TOKEN="{}"', lambda r: rand(r, ALNUM, 32)),
}


def plant(rule_id: str, rng: random.Random) -> Plant:
    return PLANTS[rule_id](rng)
