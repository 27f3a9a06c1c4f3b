"""Strings that look like keys but are not: placeholders, masked, truncated, look-alikes.

A precise scanner reports none of them.  Like tokens.py, every decoy is built at run time.
"""

from __future__ import annotations

import random
import string

from keyguard.testing import tokens
from keyguard.testing.tokens import ALNUM
from keyguard.testing.tokens import HEX
from keyguard.testing.tokens import URLSAFE
from keyguard.testing.tokens import rand


def _flip_last(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


def decoys(rng: random.Random) -> list[tuple[str, str]]:
    """(kind, line) pairs; each line must produce no finding."""
    ant = tokens.anthropic(rng)
    proj = tokens.openai_project(rng)
    ghp = tokens.github_classic(rng)
    out = [
        ("placeholder", 'ANTHROPIC_API_KEY="sk-ant-api03-' + "x" * 93 + 'AA"'),
        ("placeholder", "export OPENAI_API_KEY=sk-proj-" + "X" * 74 + "T3Blbk" + "FJ" + "X" * 74),
        ("placeholder", 'OPENAI_API_KEY="${OPENAI_API_KEY}"'),
        ("placeholder", "api_key: <your-api-key-here>"),
        ("placeholder", 'GITHUB_TOKEN="ghp_' + "x" * 36 + '"'),
        ("placeholder", "token = 'sk-ant-api03-...'"),
        ("placeholder", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7" + "EXAMPLE"),
        (
            "placeholder",
            "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
        ),
        ("placeholder", "DATABASE_URL=postgres://user:password@localhost:5432/app"),
        ("placeholder", "REDIS_URL=redis://default:${REDIS_PASSWORD}@cache:6379"),
        ("placeholder", 'password = "changeme"'),
        ("placeholder", "SECRET_KEY = 'your-secret-key-goes-here-1234'"),
        ("placeholder", 'API_KEY="abcdefghijklmnopqrstuvwxyz0123456789"'),
        ("placeholder", "HF_TOKEN=hf_" + "a" * 34),
        ("placeholder", "STRIPE_KEY=sk_live_" + "0" * 24),
        ("masked", "ANTHROPIC_API_KEY=sk-ant-api03-…" + ant[-4:]),
        ("masked", "key: sk-proj-****" + proj[-4:]),
        ("masked", "token ghp_****************************" + ghp[-4:]),
        ("masked", "OPENAI_API_KEY=sk-...(redacted)"),
        ("truncated", "ANTHROPIC_API_KEY=" + ant[:60]),
        ("truncated", "OPENAI_API_KEY=" + proj[:100]),
        ("truncated", "GITHUB_TOKEN=" + ghp[:30]),
        ("truncated", "ONECLAW_API_KEY=ocv_" + rand(rng, URLSAFE, 40)),
        (
            "truncated",
            "GROQ_API_KEY=gsk_" + rand(rng, ALNUM, 20) + "WGdy" + "b3FY" + rand(rng, ALNUM, 10),
        ),
        ("bad checksum", "GITHUB_TOKEN=" + _flip_last(tokens.github_classic(rng))),
        ("bad checksum", "//registry.npmjs.org/:_authToken=" + _flip_last(tokens.npm(rng))),
        ("missing marker", "OPENAI_API_KEY=sk-proj-" + rand(rng, URLSAFE, 156)),
        ("missing marker", "GROQ_API_KEY=gsk_" + rand(rng, ALNUM, 52)),
        ("missing marker", "ANTHROPIC_API_KEY=sk-ant-api03-" + rand(rng, URLSAFE, 93) + "xy"),
        ("too long", "ocv_" + rand(rng, URLSAFE, 60)),
        ("look-alike", "function(ocv_add_module_with_dependencies_and_flags_ex)"),
        ("look-alike", "set(ocv_" + "target_compile_definitions_public)"),
        ("look-alike", "if (hf_requiredCharacteristicTypesList)"),
        ("look-alike", "desktop-rhf_SponsoredMessageTypeIdentifierNo"),
        ("look-alike", "static int fw_getFirmwareVersionString(void);"),
        ("look-alike", "task-proj-" + "a" * 20),
        ("look-alike", "commit = '" + rand(rng, HEX, 40) + "'"),
        ("look-alike", "sha256: " + rand(rng, HEX, 64)),
        ("look-alike", "uuid = '" + "-".join(rand(rng, HEX, n) for n in (8, 4, 4, 4, 12)) + "'"),
        ("look-alike", "token_type = 'bearer_authorization_header'"),
        ("look-alike", "max_tokens = 4096"),
        ("look-alike", 'password_file = "/etc/app/secrets/db_password.txt"'),
        ("look-alike", "AKIA" + "".join(rng.choice(string.ascii_lowercase) for _ in range(16))),
        (
            "jwt",
            "ANON_KEY=" + tokens.jwt(rng, {"role": "anon", "iss": "supabase", "iat": 1700000000}),
        ),
        ("jwt", "session=" + tokens.jwt(rng, {"sub": "42", "iat": 1700000000, "exp": 1700003600})),
        ("reference", "OPENAI_API_KEY=keyguard://openai/default"),
        ("reference", "token = os.environ['GITHUB_TOKEN']"),
        ("reference", "api_key=process.env.OPENAI_API_KEY"),
        ("reference", "password: '{{ vault_db_password }}'"),
    ]
    return out
