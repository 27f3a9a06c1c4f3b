"""Import a detect-secrets ``.secrets.baseline`` into a keyguard baseline.

detect-secrets stores a plain SHA-1 of each secret.  keyguard rescans the files it lists,
hashes each of its own findings the same way in memory, and records the matches in its own
salted form; entries whose audit says ``is_secret: true`` are left out, so those real secrets
are reported again until they are rotated.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from keyguard.errors import InputError
from keyguard.fingerprint import salted_fingerprint
from keyguard.scan.baseline import Baseline
from keyguard.scan.baseline import Entry
from keyguard.scan.engine import Matcher
from keyguard.scan.rules import Rule

# detect-secrets plugin types and the keyguard rules that find the same credentials.
TYPE_MAP: dict[str, tuple[str, ...]] = {
    "AWS Access Key": (
        "aws-access-key-id",
        "aws-secret-access-key",
        "aws-secret-access-key-paired",
    ),
    "GitHub Token": ("github-token", "github-fine-grained-token"),
    "GitLab Token": ("gitlab-token", "gitlab-pipeline-trigger-token"),
    "OpenAI Token": ("openai-project-key", "openai-legacy-key", "openai-admin-key"),
    "Stripe Access Key": ("stripe-live-key", "stripe-test-key"),
    "Slack Token": ("slack-token", "slack-webhook-url"),
    "SendGrid API Key": ("sendgrid-api-key",),
    "Twilio API Key": ("twilio-api-key", "twilio-auth-token"),
    "NPM tokens": ("npm-token",),
    "PyPI Token": ("pypi-token",),
    "Private Key": ("private-key", "gcp-service-account-key"),
    "JSON Web Token": ("jwt",),
    "Basic Auth Credentials": ("database-url", "curl-basic-auth"),
    "Secret Keyword": ("generic-secret-assignment",),
    "Hex High Entropy String": ("generic-secret-assignment",),
    "Base64 High Entropy String": ("generic-secret-assignment",),
}


def import_detect_secrets(
    source: Path, root: Path, rules: tuple[Rule, ...]
) -> tuple[Baseline, str]:
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
        results = document["results"]
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror}") from None
    except (ValueError, KeyError, UnicodeDecodeError):
        raise InputError(f"{source}: not a detect-secrets baseline") from None
    baseline = Baseline.new()
    matcher = Matcher(rules, "portable")
    entries: set[Entry] = set()
    wanted = skipped_real = unmatched = 0
    for filename, items in sorted(results.items()):
        keep: dict[str, str] = {}
        lines: dict[int, str] = {}  # fallback when the hash is of a fragment (see below)
        for item in items:
            if item.get("is_secret") is True:
                skipped_real += 1
                continue
            keep[item["hashed_secret"]] = item.get("type", "")
            if isinstance(item.get("line_number"), int):
                lines[item["line_number"]] = item["hashed_secret"]
        wanted += len(keep)
        if not keep:
            continue
        try:
            data = (root / filename).read_bytes()
        except OSError:
            unmatched += len(keep)
            continue
        matched = set()
        for m in matcher.scan(data):
            value = data[m.start : m.end]
            digest = hashlib.sha1(value).hexdigest()  # detect-secrets' own (weak) hash, in memory
            if digest not in keep:
                # Some detect-secrets plugins hash only a regex group (its GitHub plugin hashes
                # "ghp"), so fall back to the line the entry names.
                digest = lines.get(data.count(b"\n", 0, m.start) + 1, "")
            if digest in keep and _compatible(keep[digest], m.rule.id):
                fp = salted_fingerprint(baseline.salt, m.rule.id.encode() + b"\0" + value)
                entries.add((filename, m.rule.id, fp))
                matched.add(digest)
        unmatched += len(keep) - len(matched)
    report = (
        f"{len(entries)} entries from {wanted} detect-secrets entries; "
        f"{skipped_real} marked as real secrets left out; "
        f"{unmatched} that no keyguard rule reports left out"
    )
    return Baseline(baseline.salt, frozenset(entries)), report


def _compatible(ds_type: str, rule_id: str) -> bool:
    mapped = TYPE_MAP.get(ds_type)
    return mapped is None or rule_id in mapped
