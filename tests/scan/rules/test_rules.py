from __future__ import annotations

import random

import pytest

from keyguard.scan.engine import Matcher
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.testing import tokens
from keyguard.testing.decoys import decoys
from keyguard.testing.tokens import PLANTS

RULE_IDS = [rule.id for rule in BUILTIN_RULES]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(BUILTIN_RULES, "portable")


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    data = text.encode()
    return [(m.rule.id, data[m.start : m.end].decode()) for m in matcher.scan(data)]


def test_every_rule_has_a_plant_and_metadata() -> None:
    assert sorted(PLANTS) == sorted(RULE_IDS)
    assert len(set(RULE_IDS)) == len(RULE_IDS)
    for rule in BUILTIN_RULES:
        assert rule.keywords, rule.id
        assert rule.shape and rule.remediation and rule.description, rule.id


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_planted_keys_are_found_exactly(matcher: Matcher, rule_id: str) -> None:
    rng = random.Random(rule_id)
    for _ in range(40):
        text, token = PLANTS[rule_id](rng)
        got = found(matcher, f"# settings\n{text}\n# end\n")
        assert (rule_id, token) in got, (rule_id, got)
        others = [g for g in got if g != (rule_id, token)]
        # one key, one finding: no rule double-reports it (the paired plant holds a key id too)
        assert all(rid == "aws-access-key-id" for rid, _ in others), got
        assert len(others) == (rule_id == "aws-secret-access-key-paired"), got


def test_decoys_are_not_reported(matcher: Matcher) -> None:
    for seed in range(20):
        for kind, line in decoys(random.Random(seed)):
            assert found(matcher, line + "\n") == [], (kind, line[:40])


@pytest.mark.parametrize(
    ("before", "after"),
    [("x", ""), ("", "x"), ("", "-"), ("_", ""), ("9", "")],
)
def test_tokens_glued_to_words_are_not_keys(
    matcher: Matcher, rng: random.Random, before: str, after: str
) -> None:
    candidates = [tokens.anthropic(rng), "ocv_" + tokens.rand(rng, tokens.URLSAFE, 43)]
    if after != "-":  # GitHub's alphabet has no dash, so a dash may end a token
        candidates.append(tokens.github_classic(rng))
    for token in candidates:
        assert found(matcher, f"{before}{token}{after}") == []


def test_escaped_newline_before_a_key_still_counts(matcher: Matcher, rng: random.Random) -> None:
    token = tokens.anthropic(rng)
    assert found(matcher, '{"text": "my key is\\n' + token + '\\nthanks"}') == [
        ("anthropic-api-key", token)
    ]


def test_sk_namespace_is_claimed_most_specific_first(matcher: Matcher, rng: random.Random) -> None:
    anthropic = tokens.anthropic(rng)
    openai = tokens.openai_project(rng)
    text = f"OPENAI_API_KEY={anthropic}\nANTHROPIC_API_KEY={openai}\nAPI_TOKEN={openai}\n"
    assert found(matcher, text) == [
        ("anthropic-api-key", anthropic),
        ("openai-project-key", openai),
        ("openai-project-key", openai),
    ]


def test_oneclaw_needs_the_exact_length(matcher: Matcher, rng: random.Random) -> None:
    body = tokens.rand(rng, tokens.URLSAFE, 43)
    assert found(matcher, f"k=ocv_{body}") == [("oneclaw-agent-key", "ocv_" + body)]
    assert found(matcher, f"k=ocv_{body}A") == []
    assert found(matcher, f"k=ocv_{body[:-1]}") == []


def test_context_rules_need_their_provider_named(matcher: Matcher, rng: random.Random) -> None:
    hex32 = tokens.rand(rng, tokens.HEX, 32)
    assert found(matcher, f"DEEPSEEK_API_KEY=sk-{hex32}") == [("deepseek-api-key", f"sk-{hex32}")]
    assert found(matcher, f"SOME_ID=sk-{hex32}") == []


def test_aws_pair_reports_both_halves_where_they_stand(
    matcher: Matcher, rng: random.Random
) -> None:
    key_id, secret = tokens.aws_key_id(rng), tokens.aws_secret(rng)
    text = f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"
    assert found(matcher, text) == [
        ("aws-access-key-id", key_id),
        ("aws-secret-access-key", secret),
    ]


def test_bedrock_short_lived_key(matcher: Matcher, rng: random.Random) -> None:
    token = tokens.bedrock_short_lived(rng)
    assert found(matcher, f"export AWS_BEARER_TOKEN_BEDROCK={token}") == [
        ("aws-bedrock-api-key", token)
    ]


def test_service_account_json_is_one_finding(matcher: Matcher, rng: random.Random) -> None:
    text, pem = tokens.service_account(rng)
    assert found(matcher, text) == [("gcp-service-account-key", pem)]


def test_generic_assignment_defers_to_provider_prefixes(
    matcher: Matcher, rng: random.Random
) -> None:
    truncated = tokens.anthropic(rng)[:50]
    assert found(matcher, f'ANTHROPIC_API_KEY="{truncated}"') == []
    value = tokens.rand(rng, tokens.ALNUM, 24) + "7"
    assert found(matcher, f'  "db_password": "{value}",') == [("generic-secret-assignment", value)]


@pytest.mark.parametrize(
    "line",
    [
        "private_key: CertificateIssuerPrivateKeyTypes,",
        '"output_token": "LastEvaluatedBackupArn",',
        '"ChangeToken": "abcd12f2-46da-4fdb-b8d5-fbd4c466928f"',
        "token = self.tokenizer.encode(text2)",
        "password = os.environ['DB_PASSWORD']",
        '"Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-Abc123"',
        "max_tokens: 4096",
    ],
)
def test_generic_rule_ignores_names_and_references(matcher: Matcher, line: str) -> None:
    assert found(matcher, line) == []
