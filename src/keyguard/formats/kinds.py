"""What kind of file is this, and what can keyguard do with it: one row per kind.

Every question of that sort is answered here and nowhere else: how the scan reads a file
(``reader``), whether JSON escapes are decoded in it (``escapes``), which decoded view it has
(``view``), which locator names the place of a finding in it (``locator``), whether the text
report may suggest ``keyguard migrate`` for it, which rewriter migrates it, which shell its
``keyguard env`` block is written for, and where ``scan --home`` looks for it.

A row is matched by its ``paths``: ``*``-wildcard patterns (``*`` matches anything, ``/``
included) on the lower-cased path; a pattern without ``/`` is matched against the file name,
one with ``/`` against ``/`` + the whole path.  The first row that matches wins, so specific
rows come first.  Rows without ``paths`` are reached by ``--format-hint`` or by their content
(``content``: the rows a file's first 64 KiB may turn it into).

Plug-in points are ``"module:attr"`` strings, loaded only when used: the pre-commit hook reads
this table on every commit and must not import a locator or a rewriter it does not need.
"""

from __future__ import annotations

from keyguard.entrypoints import resolve as load
from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from keyguard.formats.rewriters import Rewriter

_LOCATORS = "keyguard.scan.locators"
_REWRITERS = "keyguard.formats.rewriters"


class Kind(Record):
    """One kind of file.  ``markers``: for a content row, groups of byte strings of which one
    of each group must be in the file's head; ``locate_always``: run the locator even on a
    file without findings (a chat export, so a broken one is reported); ``refusal``: why
    migrate leaves such a file alone; ``group``/``home``: the ``scan --home`` group and its
    globs (``~``, ``{app}``, ``{claude}``, ``{codex}`` and ``{code}``, each VS Code-family
    editor's ``User`` folder, are expanded)."""

    __slots__ = (
        "name", "paths", "reader", "escapes", "view", "locator", "content", "markers",
        "locate_always", "rewriter", "refusal", "suggest_migrate", "shell", "group", "home",
    )  # fmt: skip
    name: str
    paths: tuple[str, ...]
    reader: str
    escapes: bool
    view: str | None
    locator: str | None
    content: tuple[str, ...]
    markers: tuple[tuple[bytes, ...], ...]
    locate_always: bool
    rewriter: str | None
    refusal: str
    suggest_migrate: bool
    shell: str | None
    group: str
    home: tuple[str, ...]

    def __init__(
        self,
        name: str,
        paths: tuple[str, ...] = (),
        *,
        reader: str = "plain",
        escapes: bool = False,
        view: str | None = None,
        locator: str | None = None,
        content: tuple[str, ...] = (),
        markers: tuple[tuple[bytes, ...], ...] = (),
        locate_always: bool = False,
        rewriter: str | None = None,
        refusal: str = "",
        suggest_migrate: bool = False,
        shell: str | None = None,
        group: str = "",
        home: tuple[str, ...] = (),
    ) -> None:
        fill(self, locals())

    def load_rewriter(self, path: str) -> Rewriter:
        """This kind's rewriter; ``RewriteRefused`` when it has none."""
        if self.rewriter is None:
            from keyguard.errors import RewriteRefused

            raise RewriteRefused(
                f"{path}: {self.refusal}"
                if self.refusal
                else f"{path}: not a kind of file migrate knows from its name; "
                f"pass --format {'|'.join(MIGRATE_FORMATS)} if it is one of those"
            )
        rewriter: Rewriter = load(self.rewriter)()  # type: ignore[operator]
        return rewriter


HOME_GROUPS = ("shell rc files", "MCP configs", "credential files", "agent transcripts",
               "editor chats")  # fmt: skip
_SHELL_RC = "shell rc files"
_CHATS = ("claude-projects", "claude-export", "chatgpt-export")  # what a JSON file may be
_JSON = f"{_LOCATORS}.configs:JsonConfig"
_VARIABLES = f"{_LOCATORS}.keypaths:Variables"
_TRANSCRIPTS = "agent transcripts"
_EDITOR = "editor chats"
_CREDENTIALS = "credential files"
_MCP = "MCP configs"

KINDS: tuple[Kind, ...] = (
    # -- containers: read by a reader of their own ----------------------------------------
    Kind("zip", ("*.zip",), reader="keyguard.scan.readers.archive:ZipReader"),
    Kind(
        "vscdb",
        ("*.vscdb",),
        reader="keyguard.scan.readers.sqlite:SqliteReader",
        escapes=True,
        group=_EDITOR,
        home=("{code}/globalStorage/state.vscdb", "{code}/workspaceStorage/*/state.vscdb"),
    ),
    # -- agent and editor stores, by where they live --------------------------------------
    Kind(
        "vscode-chat",
        (
            "*/chatsessions/*.json",
            "*/chatsessions/*.jsonl",
            "*/emptywindowchatsessions/*.json",
            "*/emptywindowchatsessions/*.jsonl",
        ),
        escapes=True,
        locator=f"{_LOCATORS}.agents:VsCodeChat",
        group=_EDITOR,
        home=(
            "{code}/workspaceStorage/*/chatSessions/*.json*",
            "{code}/globalStorage/emptyWindowChatSessions/*.json*",
        ),
    ),
    Kind(
        "cline",
        ("*/tasks/*/api_conversation_history.json", "*/tasks/*/ui_messages.json"),
        escapes=True,
        locator=f"{_LOCATORS}.agents:ClineTask",
        group=_EDITOR,
        home=("{code}/globalStorage/saoudrizwan.claude-dev/tasks/*/*.json",),
    ),
    Kind(
        "claude-code-file",
        ("*.claude*/paste-cache/*", "*.claude*/file-history/*", "*.claude*/shell-snapshots/*"),
        locator=f"{_LOCATORS}.agents:ClaudeCodeFile",
        group=_TRANSCRIPTS,
        home=("{claude}/paste-cache/*", "{claude}/file-history/**/*", "{claude}/shell-snapshots/*"),
    ),
    Kind(
        "claude-json-backup",
        (".claude.json.*",),
        locator=_JSON,
        content=_CHATS,
        group=_MCP,
        home=("{claude}/backups/.claude.json.*", "~/.claude.json.backup*"),
    ),
    Kind(
        "session-document",
        ("*/.codex*/rollout-*.json", "*/.gemini*/session-*.json"),
        escapes=True,
        locator=f"{_LOCATORS}.transcripts:SessionDocument",
    ),
    Kind("jupyter-notebook", ("*.ipynb",), escapes=True, locator=f"{_LOCATORS}.notebooks:Notebook"),
    Kind(
        "jsonl",
        ("*.jsonl",),
        escapes=True,
        locator=f"{_LOCATORS}.transcripts:JsonLines",
        group=_TRANSCRIPTS,
        home=(
            "{claude}/projects/**/*.jsonl",
            "{claude}/history.jsonl",
            "{codex}/sessions/**/*.json*",
            "{codex}/archived_sessions/**/*",
            "{codex}/history.jsonl",
            "~/.gemini/tmp/**/*.json*",
            "~/.gemini/data/**/*.json*",
        ),
    ),
    Kind("chatgpt-html", ("chat.html",), escapes=True, locator=f"{_LOCATORS}.exports:ChatGptHtml"),
    # -- chat exports: told by their content ----------------------------------------------
    Kind(
        "export",
        ("conversations.json",),
        escapes=True,
        content=_CHATS,
        locate_always=True,
        rewriter=f"{_REWRITERS}.mcp:McpJsonRewriter",
    ),
    Kind(
        "projects",
        ("projects.json",),
        escapes=True,
        content=_CHATS,
        rewriter=f"{_REWRITERS}.mcp:McpJsonRewriter",
    ),
    Kind(
        "claude-projects",
        markers=((b'"docs"', b'"prompt_template"'),),
        escapes=True,
        locator=f"{_LOCATORS}.exports:ClaudeProjects",
    ),
    Kind(
        "claude-export",
        markers=((b'"chat_messages"',),),
        escapes=True,
        locator=f"{_LOCATORS}.exports:ClaudeExport",
    ),
    Kind(
        "chatgpt-export",
        markers=((b'"mapping"',), (b'"current_node"', b'"create_time"')),
        escapes=True,
        locator=f"{_LOCATORS}.exports:ChatGptExport",
    ),
    # -- logins an app manages itself: reported, never migrated -----------------------------
    Kind(
        "app-login",
        ("*/.claude/.credentials.json", "*/.codex/auth.json", "*/.gemini/oauth_creds.json"),
        escapes=True,
        locator=_JSON,
        content=_CHATS,
        refusal="the app keeps this login itself: log out and in again to replace it",
        group=_CREDENTIALS,
        home=("{claude}/.credentials.json", "{codex}/auth.json"),
    ),
    # -- credential files that keep keys encoded --------------------------------------------
    Kind(
        "docker-config",
        ("*/.docker/config.json",),
        escapes=True,
        locator=_JSON,
        content=_CHATS,
        view="keyguard.scan.readers.decoded:docker",
        group=_CREDENTIALS,
        home=("~/.docker/config.json",),
    ),
    Kind(
        "kube-config",
        ("*/.kube/config",),
        locator=f"{_LOCATORS}.keypaths:YamlConfig",
        view="keyguard.scan.readers.decoded:base64_values",
        group=_CREDENTIALS,
        home=("~/.kube/config",),
    ),
    Kind(
        "npmrc",
        (".npmrc",),
        locator=f"{_LOCATORS}.keypaths:IniConfig",
        view="keyguard.scan.readers.decoded:base64_values",
        group=_CREDENTIALS,
        home=("~/.npmrc",),
    ),
    Kind(
        "git-credentials",
        (".git-credentials",),
        view="keyguard.scan.readers.decoded:url",
        group=_CREDENTIALS,
        home=("~/.git-credentials",),
    ),
    # -- configs: the key path of a finding -------------------------------------------------
    Kind(
        "mcp-config",
        ("*mcp*.json", "claude_desktop_config.json", ".claude.json"),
        escapes=True,
        locator=_JSON,
        content=_CHATS,
        suggest_migrate=True,
        rewriter=f"{_REWRITERS}.mcp:McpJsonRewriter",
        group=_MCP,
        home=(
            "{app}/Claude/claude_desktop_config.json",
            "~/.claude.json",
            "~/.cursor/mcp.json",
            "~/.codeium/windsurf/mcp_config.json",
            "{code}/mcp.json",
            "{code}/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json",
        ),
    ),
    Kind(
        "editor-settings",
        ("*/.gemini/settings.json", "*/zed/settings.json"),
        escapes=True,
        locator=_JSON,
        content=_CHATS,
        rewriter=f"{_REWRITERS}.mcp:McpJsonRewriter",
        group=_MCP,
        home=("~/.gemini/settings.json", "~/.config/zed/settings.json"),
    ),
    Kind(
        "json",
        ("*.json",),
        escapes=True,
        locator=_JSON,
        content=_CHATS,
        rewriter=f"{_REWRITERS}.mcp:McpJsonRewriter",
    ),
    Kind("jsonc", ("*.jsonc",), escapes=True, locator=_JSON, content=_CHATS),
    Kind("json-data", ("*.ndjson", "*.json5", "*.har", "*.html"), escapes=True),
    Kind("yaml", ("*.yaml", "*.yml"), locator=f"{_LOCATORS}.keypaths:YamlConfig"),
    Kind(
        "codex-config",
        ("*/.codex/config.toml",),
        locator=f"{_LOCATORS}.keypaths:TomlConfig",
        rewriter=f"{_REWRITERS}.codex:CodexRewriter",
        suggest_migrate=True,
        group=_MCP,
        home=("{codex}/config.toml",),
    ),
    Kind(
        "toml-config",
        ("config.toml",),
        locator=f"{_LOCATORS}.keypaths:TomlConfig",
        rewriter=f"{_REWRITERS}.codex:CodexRewriter",
    ),
    Kind("toml", ("*.toml",), locator=f"{_LOCATORS}.keypaths:TomlConfig"),
    Kind(
        "ini",
        (
            "*.ini",
            "*.cfg",
            ".pypirc",
            ".gitconfig",
            ".s3cfg",
            ".boto",
            "pip.conf",
            ".pgservice.conf",
            "*/.aws/credentials",
            "*/.aws/config",
            "*/.git/config",
        ),
        locator=f"{_LOCATORS}.keypaths:IniConfig",
        group=_CREDENTIALS,
        home=("~/.pypirc", "~/.aws/credentials"),
    ),
    # -- shells and env files: the variable a key is assigned to ----------------------------
    Kind(
        "sh",
        (
            ".bashrc",
            ".bash_profile",
            ".bash_login",
            ".profile",
            ".zshrc",
            ".zshenv",
            ".zprofile",
            ".zlogin",
            ".kshrc",
            ".mkshrc",
            ".envrc",
            ".exports",
            ".secrets",
            ".aliases",
            ".functions",
            "*.sh",
            "*.bash",
            "*.zsh",
            "*.ksh",
        ),
        locator=_VARIABLES,
        rewriter=f"{_REWRITERS}.sh:ShellRewriter",
        suggest_migrate=True,
        shell="sh",
        group=_SHELL_RC,
        home=(
            "~/.bashrc",
            "~/.bash_profile",
            "~/.profile",
            "~/.zshrc",
            "~/.zshenv",
            "~/.zprofile",
            "~/.kshrc",
            "~/.secrets",
        ),
    ),
    Kind(
        "csh",
        (".cshrc", ".tcshrc", ".login", "*.csh", "*.tcsh"),
        locator=_VARIABLES,
        rewriter=f"{_REWRITERS}.csh:CshRewriter",
        suggest_migrate=True,
        shell="csh",
        group=_SHELL_RC,
        home=("~/.cshrc", "~/.tcshrc"),
    ),
    Kind(
        "fish",
        ("*.fish",),
        locator=_VARIABLES,
        rewriter=f"{_REWRITERS}.fish:FishRewriter",
        suggest_migrate=True,
        shell="fish",
        group=_SHELL_RC,
        home=("~/.config/fish/config.fish", "~/.config/fish/conf.d/*.fish"),
    ),
    Kind(
        "fish-variables",
        ("fish_variables",),
        view="keyguard.scan.readers.decoded:fish",
        refusal="fish_variables is fish's own store: run `set -eU NAME` for each key in fish, "
        "then add `set -gx NAME (keyguard get …)` to config.fish",
        group=_SHELL_RC,
        home=("~/.config/fish/fish_variables",),
    ),
    Kind(
        "gemini-env",
        ("*/.gemini/.env",),
        locator=_VARIABLES,
        rewriter=f"{_REWRITERS}.dotenv:DotenvRewriter",
        suggest_migrate=True,
        group=_CREDENTIALS,
        home=("~/.gemini/.env",),
    ),
    Kind(
        "dotenv",
        (".env", ".env.*", "*.env"),
        locator=_VARIABLES,
        rewriter=f"{_REWRITERS}.dotenv:DotenvRewriter",
        suggest_migrate=True,
        group=_SHELL_RC,
        home=("~/.env",),
    ),
    Kind(
        "powershell",
        ("*.ps1",),
        locator=_VARIABLES,
        rewriter=f"{_REWRITERS}.powershell:PowerShellRewriter",
        suggest_migrate=True,
        shell="powershell",
    ),
    Kind("netrc", (".netrc",), group=_CREDENTIALS, home=("~/.netrc",)),
    # -- everything else ------------------------------------------------------------------
    Kind("plain"),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
PLAIN = BY_NAME["plain"]
# --format-hint: read every file given as this kind, whatever its name.
HINTS = ("claude-export", "claude-projects", "chatgpt-export", "chatgpt-html", "jsonl",
         "vscode-chat", "cline", "json", "yaml", "toml", "ini", "vscdb", "zip",
         "plain")  # fmt: skip
# migrate --format: the rewriter of each migratable format, by its documented name.
MIGRATE_FORMATS = {"sh": "sh", "fish": "fish", "dotenv": "dotenv", "mcp-json": "json",
                   "codex-toml": "codex-config", "csh": "csh",
                   "powershell": "powershell"}  # fmt: skip


def matches(pattern: str, text: str) -> bool:
    """``*``-wildcard match of the whole of ``text`` (``*`` matches any run of characters)."""
    head, *middle, tail = pattern.split("*") if "*" in pattern else (pattern, pattern)
    if "*" not in pattern:
        return text == pattern
    return _matches(head, tuple(middle), tail, text)


def _matches(head: str, middle: tuple[str, ...], tail: str, text: str) -> bool:
    if len(text) < len(head) + len(tail) or not text.startswith(head) or not text.endswith(tail):
        return False
    at, end = len(head), len(text) - len(tail)
    for part in middle:
        found = text.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True


# (row, matched on the path, head, middle parts, tail, the longest literal)
_Entry = tuple[int, bool, str, tuple[str, ...], str, str]


class _Index:
    """The table's patterns split once: exact names in a dict, wildcard patterns filed by how
    a matching name must end (``*.json`` under ``json``), each with the longest literal it
    needs (``/chatsessions/``) checked before the match, so a lookup costs a few ``in``s."""

    def __init__(self, kinds: tuple[Kind, ...]) -> None:
        self.exact: dict[str, int] = {}
        self.by_end: dict[str, list[_Entry]] = {}
        self.anywhere: list[_Entry] = []
        for row, kind in enumerate(kinds):
            for pattern in kind.paths:
                if "*" not in pattern and "/" not in pattern:
                    self.exact.setdefault(pattern, row)
                    continue
                head, *middle, tail = pattern.split("*") if "*" in pattern else ("", pattern, "")
                needle = max((head, *middle, tail), key=len)
                entry = (row, "/" in pattern, head, tuple(middle), tail, needle)
                name_tail = tail.rsplit("/", 1)[-1]
                if name_tail and not name_tail.endswith("."):
                    key = name_tail.rsplit(".", 1)[-1] if "." in name_tail else name_tail
                    self.by_end.setdefault(key, []).append(entry)
                else:
                    self.anywhere.append(entry)  # ends in ``*``: any name may match
        self.cache: dict[str, int] = {}

    def first(self, name: str, full: str) -> int:
        found = self.cache.get(full)
        if found is not None:
            return found
        best = self.exact.get(name, len(KINDS))
        dot = name.rfind(".")
        for entries in (self.by_end.get(name[dot + 1 :] if dot >= 0 else name, ()), self.anywhere):
            for row, on_path, head, middle, tail, needle in entries:
                if row >= best:
                    break  # entries are in row order
                text = full if on_path else name
                if needle in text and _matches(head, middle, tail, text):
                    best = row
                    break
        if len(self.cache) < CACHE:
            self.cache[full] = best
        return best


CACHE = 1 << 16  # paths remembered (history scans see the same path in many commits)
_index: list[_Index] = []  # built on first use: the hook may never ask


def kind_of(path: str, hint: str | None = None) -> Kind:
    """The kind of ``path`` by its name (or the ``--format-hint`` row); never None."""
    if hint is not None:
        return BY_NAME[hint]
    if not _index:
        _index.append(_Index(KINDS))
    normalized = path.replace("\\", "/").lower()
    name = normalized.rsplit("/", 1)[-1]
    full = normalized if normalized.startswith("/") else "/" + normalized
    row = _index[0].first(name, full)
    return KINDS[row] if row < len(KINDS) else PLAIN


def by_content(kind: Kind, name: str, head: bytes) -> Kind | None:
    """What a file of ``kind`` is by the first bytes of its content: one of its ``content``
    rows (a chat export) when their markers are there, else ``kind`` itself when it has a
    locator of its own (None: nothing to locate)."""
    if head.lstrip()[:1] in (b"[", b"{"):
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        for candidate in kind.content:
            row = BY_NAME[candidate]
            if candidate == "claude-projects" and base != "projects.json":
                continue  # only a file of that name: the markers are common words
            if all(any(marker in head for marker in group) for group in row.markers):
                return row
    return kind if kind.locator is not None else None


def rewriter_for(path: str, format_hint: str | None = None) -> Rewriter:
    """The rewriter that migrates ``path`` (by ``migrate --format`` or by name)."""
    if format_hint is not None:
        return BY_NAME[MIGRATE_FORMATS[format_hint]].load_rewriter(path)
    return kind_of(path).load_rewriter(path)
