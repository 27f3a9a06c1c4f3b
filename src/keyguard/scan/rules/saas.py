"""Payments, messaging and e-mail services: Stripe, Slack, SendGrid, Twilio (detectors.md §3)."""

from __future__ import annotations

from keyguard.scan.rules._base import LEFT
from keyguard.scan.rules._base import LINE
from keyguard.scan.rules._base import RIGHT
from keyguard.scan.rules._base import RIGHT_ALNUM
from keyguard.scan.rules._base import Rule
from keyguard.scan.rules._base import Window
from keyguard.scan.rules.checks import char_classes
from keyguard.scan.rules.checks import looks_like_placeholder
from keyguard.scan.rules.checks import mixed_case
from keyguard.scan.rules.checks import random_looking

SLACK = "https://api.slack.com/apps"


def header_value_ok(value: bytes) -> bool:
    """Bearer tokens look random; Basic credentials decode to ``user:password``."""
    if looks_like_placeholder(value):
        return False
    digits, upper, lower = char_classes(value)
    if digits < 2 and not (upper + lower and 0.2 <= upper / (upper + lower) <= 0.8):
        return False
    import base64  # only at a header match: the hook's start stays light

    try:
        decoded = base64.b64decode(value + b"=" * (-len(value) % 4), validate=True)
    except ValueError:  # binascii.Error is a ValueError
        return True
    if b":" in decoded and decoded.isascii():
        user, _, password = decoded.partition(b":")
        return len(password) >= 6 and not looks_like_placeholder(password)
    return True


def curl_password_ok(password: bytes) -> bool:
    if password.startswith((b"$", b"%", b"{", b"<", b"[")) or looks_like_placeholder(password):
        return False
    digits, upper, lower = char_classes(password)
    return digits + upper >= 2 and lower + upper >= 2


RULES: tuple[Rule, ...] = (
    Rule(
        id="stripe-live-key",
        provider="stripe",
        description="Stripe live secret or restricted key",
        pattern=LEFT + r"(?P<public>[sr]k_(?:live|prod)_)[A-Za-z0-9]{24,247}" + RIGHT_ALNUM,
        keywords=("sk_live_", "rk_live_", "sk_prod_", "rk_prod_"),
        confidence="high",
        remediation="https://dashboard.stripe.com/apikeys",
        min_entropy=3.5,
        check=random_looking(2, 2),
        priority=10,
        env_var="STRIPE_SECRET_KEY",
        shape="`sk_live_`/`rk_live_` (or `_prod_`) + 24-247 alphanumerics",
    ),
    Rule(
        id="stripe-test-key",
        provider="stripe",
        description="Stripe test-mode secret or restricted key",
        pattern=LEFT + r"(?P<public>[sr]k_test_)[A-Za-z0-9]{24,247}" + RIGHT_ALNUM,
        keywords=("sk_test_", "rk_test_"),
        confidence="medium",
        remediation="https://dashboard.stripe.com/test/apikeys",
        min_entropy=3.5,
        check=random_looking(2, 2),
        priority=10,
        env_var="STRIPE_SECRET_KEY",
        shape="`sk_test_`/`rk_test_` + 24-247 alphanumerics",
    ),
    Rule(
        id="slack-token",
        provider="slack",
        description="Slack bot, user, app or configuration token",
        pattern=LEFT
        + r"(?:(?P<public>xoxb-)[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34}"
        + r"|xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9]{28,34}"
        + r"|xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-z0-9]{32,80}"
        + r"|xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{163,166}"
        + r"|xoxe-[0-9]-[A-Za-z0-9]{146}"
        + r"|xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26}"  # legacy bot
        + r"|xox[os]-[0-9]+-[0-9]+-[0-9]+-[a-fA-F0-9]{10,}"  # legacy user and workspace
        + r"|xox[ar]-(?:[0-9]-)?(?=[0-9]*[A-Za-z])[A-Za-z0-9]{8,48})"
        + RIGHT,
        keywords=("xoxb-", "xoxp-", "xoxe-", "xoxe.", "xapp-", "xoxa-", "xoxr-", "xoxo-", "xoxs-"),
        confidence="high",
        remediation=SLACK,
        min_entropy=3.0,
        priority=10,
        env_var="SLACK_TOKEN",
        shape="`xoxb-`, `xoxp-`, `xoxe-`, `xapp-` tokens with their numeric segments, and the "
        "legacy `xoxa-`/`xoxr-`/`xoxo-`/`xoxs-` forms",
    ),
    Rule(
        id="slack-webhook-url",
        provider="slack",
        description="Slack incoming-webhook URL",
        pattern=r"(?P<public>(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/)"
        + r"[A-Za-z0-9+/]{43,100}(?![A-Za-z0-9+/])",
        keywords=("hooks.slack.com/",),
        window=Window(before=8, after=140, line=False),
        confidence="high",
        remediation=SLACK,
        min_entropy=3.5,
        priority=10,
        env_var="SLACK_WEBHOOK_URL",
        shape="`https://hooks.slack.com/services/` (or `workflows/`, `triggers/`) + T…/B…/secret",
    ),
    Rule(
        id="authorization-header",
        provider="http",
        description="Credential in an HTTP Authorization header (curl, HTTP logs, MCP headers)",
        pattern=r"(?i:authorization)['\"]?\s*[:=]\s*['\"]?(?i:bearer|basic|token|api-token)\s+"
        + r"(?P<secret>[A-Za-z0-9+/=._~\-]{16,512})(?![A-Za-z0-9+/=._~\-])",
        keywords=("Authorization", "authorization", "AUTHORIZATION"),
        window=LINE,
        confidence="medium",
        remediation="Revoke the token at the service that issued it and pass it from the vault "
        "(`keyguard run`).",
        min_entropy=3.5,
        check=header_value_ok,
        priority=85,
        shape="`Authorization: Bearer|Basic|Token <value>` with a random-looking value (Basic: a "
        "base64 `user:password` with a password)",
    ),
    Rule(
        id="curl-basic-auth",
        provider="http",
        description="Password passed to curl with -u/--user",
        pattern=r"\bcurl\b[^\n]{0,400}?(?:\\\n[^\n]{0,400}?){0,8}?\s(?:-u|--user)\s+['\"]?"
        + r"(?P<name>[^\s:'\"]{0,64}):['\"]?(?P<secret>[^\s'\"]{6,128})",
        keywords=("curl",),
        window=Window(before=0, after=4096, line=False),
        confidence="medium",
        remediation="Change the password and let curl read it from a netrc file or the vault.",
        min_entropy=2.5,
        check=curl_password_ok,
        priority=85,
        shape="`curl … -u user:password` (also `--user`, across `\\` continuation lines)",
    ),
    Rule(
        id="sendgrid-api-key",
        provider="sendgrid",
        description="SendGrid API key",
        pattern=LEFT + r"(?P<public>SG\.)[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}" + RIGHT,
        keywords=("SG.",),
        confidence="high",
        remediation="https://app.sendgrid.com/settings/api_keys",
        min_entropy=3.5,
        priority=10,
        env_var="SENDGRID_API_KEY",
        shape="`SG.` + 22 + `.` + 43 (69 characters)",
    ),
    Rule(
        id="twilio-api-key",
        provider="twilio",
        description="Twilio API key SID",
        pattern=LEFT + r"(?P<public>SK)[0-9a-f]{32}" + RIGHT_ALNUM,
        keywords=("SK",),
        confidence="medium",
        remediation="https://console.twilio.com/us1/account/keys-credentials/api-keys",
        min_entropy=3.0,
        check=mixed_case(0, 0, 4),
        priority=30,
        env_var="TWILIO_API_KEY",
        shape="`SK` + 32 lower-case hex",
    ),
    Rule(
        id="twilio-auth-token",
        provider="twilio",
        description="Twilio auth token or API secret (only with Twilio named nearby)",
        pattern=r"(?i:twilio)[\w.\-]{0,24}(?i:token|secret)[\w.\-]{0,12}['\"]?\s*(?:=|:|=>)\s*['\"]?"
        + r"(?P<secret>[0-9a-f]{32})"
        + RIGHT_ALNUM,
        keywords=("twilio", "TWILIO", "Twilio"),
        window=LINE,
        confidence="medium",
        remediation="https://console.twilio.com",
        min_entropy=2.7,
        priority=40,
        env_var="TWILIO_AUTH_TOKEN",
        shape="32 hex assigned to a name with Twilio and token/secret in it",
    ),
)
