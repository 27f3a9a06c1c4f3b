"""Payments, messaging and e-mail services: Stripe, Slack, SendGrid, Twilio (detectors.md §3)."""

from __future__ import annotations

from keyguard.scan.rules._base import LEFT
from keyguard.scan.rules._base import LINE
from keyguard.scan.rules._base import RIGHT
from keyguard.scan.rules._base import RIGHT_ALNUM
from keyguard.scan.rules._base import Rule
from keyguard.scan.rules.checks import mixed_case
from keyguard.scan.rules.checks import random_looking

SLACK = "https://api.slack.com/apps"

RULES: tuple[Rule, ...] = (
    Rule(
        id="stripe-live-key",
        provider="stripe",
        description="Stripe live secret or restricted key",
        pattern=LEFT + r"(?P<public>[sr]k_live_)[A-Za-z0-9]{24,247}" + RIGHT_ALNUM,
        keywords=("sk_live_", "rk_live_"),
        confidence="high",
        remediation="https://dashboard.stripe.com/apikeys",
        min_entropy=3.5,
        check=random_looking(2, 2),
        priority=10,
        env_var="STRIPE_SECRET_KEY",
        shape="`sk_live_`/`rk_live_` + 24-247 alphanumerics",
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
        + r"|xoxe-[0-9]-[A-Za-z0-9]{146})"
        + RIGHT,
        keywords=("xoxb-", "xoxp-", "xoxe-", "xoxe.", "xapp-"),
        confidence="high",
        remediation=SLACK,
        min_entropy=3.0,
        priority=10,
        env_var="SLACK_TOKEN",
        shape="`xoxb-`, `xoxp-`, `xoxe-`, `xapp-` tokens with their numeric segments",
    ),
    Rule(
        id="slack-webhook-url",
        provider="slack",
        description="Slack incoming-webhook URL",
        pattern=r"(?P<public>https://hooks\.slack\.com/(?:services|workflows|triggers)/)"
        + r"[A-Za-z0-9+/]{43,56}(?![A-Za-z0-9+/])",
        keywords=("https://hooks.slack.com/",),
        confidence="high",
        remediation=SLACK,
        min_entropy=3.5,
        priority=10,
        env_var="SLACK_WEBHOOK_URL",
        shape="`https://hooks.slack.com/services/` + T…/B…/secret",
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
        min_entropy=3.0,
        priority=40,
        env_var="TWILIO_AUTH_TOKEN",
        shape="32 hex assigned to a name with Twilio and token/secret in it",
    ),
)
