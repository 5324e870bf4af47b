"""Settings from the environment (`ZEROWASTE_` prefix) or a `.env` file; read only when asked."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_FILE = "zerowaste.db"


class Settings(BaseSettings):
    """Everything the composition root needs to build the application."""

    model_config = SettingsConfigDict(env_prefix="ZEROWASTE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATABASE_FILE}",
        description="SQLAlchemy URL; a SQLite file in the working folder by default.",
    )
    master_key: SecretStr | None = Field(
        default=None,
        description="Secret that encrypts custodial private keys (any string of 16+ characters).",
    )
    session_secret: SecretStr = Field(
        default=SecretStr("zerowaste-development-session-secret"),
        description="Signs web session cookies; set a random value in production.",
    )
    log_level: str = Field(
        default="INFO", pattern="^(?i:debug|info|warning|error|critical)$", description="Log level"
    )
    map_tile_url: str = Field(
        default="",
        description="Base-map tile URL template ({z}/{x}/{y}); none by default (closed networks).",
    )
    map_tile_attribution: str = ""
    default_language: str = Field(default="zh", pattern="^(zh|en)$")
    max_body_bytes: int = 1_000_000
    ledger_log_id: str = Field(
        default="main",
        pattern="^[a-z0-9-]{1,32}$",
        description="Id of the log stored in every ledger row (one per province later).",
    )
    ledger_origin: str = Field(
        default="zerowaste-chain/ledger/main",
        pattern=r"^[^\s+]{1,200}$",
        description="The log's public name: checkpoint origin and checkpoint key name.",
    )
    ledger_checkpoint_every: int = Field(
        default=1000, ge=1, description="Cut a checkpoint once this many entries are new."
    )
    ledger_checkpoint_seconds: float = Field(
        default=60.0, gt=0, description="Or once this many seconds passed with new entries."
    )
    oversight_on_capture: bool = Field(
        default=True, description="Run the capture-level oversight rules on every capture."
    )
    oversight_rules: str = Field(
        default="",
        description="Rule parameter overrides, `rule.parameter=value,...` (see docs/oversight.md).",
    )
    oversight_sweep_minutes: float = Field(
        default=60.0, ge=0, description="The server sweeps every this many minutes (0: never)."
    )

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is a SQLite file or memory database."""
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        """The SQLite file, if the database is one."""
        if not self.is_sqlite:
            return None
        path = self.database_url.split("///", 1)[-1]
        return None if path in ("", ":memory:") else Path(path)
