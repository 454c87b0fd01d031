"""Settings, read from the environment (prefix WANGGE_) or a `.env` file in the working directory."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from wangge.basemap.presets import Basemap, BasemapError, Datum, Preset, TileFile, describe, resolve_preset

DEFAULT_SECRET = "change-me-development-only"  # noqa: S105 - the guard below refuses it outside development
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SQLITE_ADMISSION = 16  # requests inside one SQLite web process at once (Settings.admission_limit)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WANGGE_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'wangge.db'}"
    # A read-only PostgreSQL replica (streaming replication of database_url) for the heavy reads that may lag a
    # moment behind the primary: Open311 lists, exports and dashboards (deps.ReadSessionDep). None: the primary.
    database_replica_url: str | None = None
    secret_key: str = DEFAULT_SECRET
    cors_origins: list[str] = Field(default_factory=list)
    upload_dir: Path = PROJECT_ROOT / "var" / "uploads"
    # Photos go to S3-compatible object storage when a bucket is named (several web servers then share them), else
    # to upload_dir. An empty endpoint means AWS; empty keys mean boto3's own chain (environment, instance role).
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_prefix: str = "photos/"
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr | None = None
    # The basemap under every map (README "Basemaps"): none, tianditu (needs tianditu_key), amap (GCJ-02), xyz or wmts
    # (basemap_url, in basemap_datum), or pmtiles (a raster PMTiles file at pmtiles_path, served by the app). Unset:
    # xyz when the older tile_url is set (with tile_attribution), else none.
    basemap: Preset | None = None
    tianditu_key: str = ""
    basemap_url: str = ""
    basemap_datum: Datum = "wgs84"
    basemap_attribution: str = ""
    pmtiles_path: Path | None = None
    tile_url: str = ""
    tile_attribution: str = ""
    map_center: tuple[float, float] = (28.1105, 113.0215)
    map_zoom: int = 15
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 10 * 1024 * 1024
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    log_level: str = "INFO"
    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    spatialite_library: str = "mod_spatialite"
    # The web process's connection pool (None: the engine's default for the database, see database.py). A request
    # that waits `database_pool_timeout` seconds for a connection is answered 503 with Retry-After.
    database_pool_size: int | None = None
    database_max_overflow: int | None = None
    database_pool_timeout: float = 30.0
    # A serving process collects garbage rarely and leaves what it made at start alone (main.settle_garbage_collector).
    # `wangge serve` and `wangge worker` set it; an app made in another program (tests) leaves Python's defaults.
    tune_gc: bool = False
    # Admission (middleware.Admission): at most this many requests inside each web process at once; the next wait
    # up to admission_wait_seconds for a place, then get 503 with Retry-After. None: 16 on SQLite (one writer at a
    # time; past it the waits only grow), no limit on PostgreSQL (the pool's timeout bounds the wait there).
    max_concurrent_requests: int | None = None
    admission_wait_seconds: float = 2.0
    # Argon2id cost; the defaults are argon2-cffi's RFC 9106 "low memory" profile.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # Matters: possible duplicates are open matters of the same category this close and this recent.
    duplicate_radius_m: float = 50.0
    duplicate_days: int = 7
    due_soon_hours: int = 24
    # The public tracking page: after this many wrong phone digits for one code from one client address, that
    # address may not try the code again until this long after its first wrong guess (docs/throttling.md).
    verify_max_failures: int = Field(5, ge=1)
    verify_lock_minutes: int = Field(15, ge=1)
    max_photo_bytes: int = 8 * 1024 * 1024
    # Throttling (docs/throttling.md). Client addresses: the peer's address, unless the peer is one of these
    # proxies (addresses or networks, e.g. ["127.0.0.1", "10.0.0.0/8"]); then the nearest address in
    # X-Forwarded-For that is not a trusted proxy. Never list a proxy that does not overwrite X-Forwarded-For.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Where the per-address windows are counted, as a `limits` storage URI. "async+memory://" counts in each
    # process, so with N web workers an address gets up to N times each limit; "async+redis://host:6379" shares
    # them. nginx's limit_req in front is the production guard (deploy/).
    rate_limit_storage: str = "async+memory://"
    # Per client address, in the `limits` notation ("5/minute", "20 per 15 minutes").
    sign_in_address_limit: str = "20 per 15 minutes"  # wrong passwords, over all usernames
    submission_limit: str = "5/minute"  # public submissions
    upload_limit: str = "30/minute"  # photo uploads (nine may go with one submission)
    tracking_limit: str = "30/minute"  # public tracking lookups, ratings and objections
    lookup_limit: str = "120/minute"  # the resident's map: grids, locate, places, nearby, "me too"
    # Sign-in per account (in the database): after this many wrong passwords in a row the account waits
    # sign_in_lock_seconds, doubled at each further wrong one, at most sign_in_lock_max_minutes; a success, or no
    # wrong password for sign_in_forget_minutes, starts again from zero.
    sign_in_max_failures: int = Field(5, ge=1)
    sign_in_lock_seconds: int = Field(60, ge=1)
    sign_in_lock_max_minutes: int = Field(15, ge=1)
    sign_in_forget_minutes: int = Field(60, ge=1)
    # Photos uploaded but never attached to a matter (or a hazard) are removed after this many hours.
    unattached_upload_hours: int = Field(24, ge=1)
    # Field work: A/B partners' grids must touch or lie within this distance; a GPS point implying a faster speed
    # than this from the one before is flagged; tracks are removed after this many days; a grid counts as covered
    # within this distance of a track.
    pair_max_distance_m: float = 200.0
    max_speed_mps: float = 15.0
    track_retention_days: int = 180
    coverage_buffer_m: float = 30.0
    # Delivery of the outbox (notify/worker.py). Without a webhook URL events only become in-app notifications.
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_timeout_seconds: float = 10
    webhook_max_attempts: int = Field(12, ge=1)
    # Beyond the webhook's timeout, how long a worker's claim on an event lasts for it to record the outcome; past
    # it, a worker that died holding the event has it delivered by another.
    worker_lease_grace_seconds: float = Field(20, ge=1)
    worker_poll_seconds: float = Field(2, gt=0)
    # How often the worker looks for overdue steps and notice periods that ended.
    worker_rounds_seconds: float = Field(60, gt=0)
    # The web process delivers the outbox too (fine for one process); in production set it false and run
    # `wangge worker` beside the web workers.
    embedded_worker: bool = True
    # The worker's rounds write last month's assessment bulletins 通报 from the first working day of a month on
    # (assessment/bulletin.py); off, no bulletin is written (the API tests turn it off unless they test it).
    monthly_bulletins: bool = True
    # Delivered notification events are removed after this many days (they may carry a reporter's phone number).
    outbox_retention_days: int = Field(30, ge=1)
    # Idempotency-Key records keep the whole first response (a staff entry's has the reporter's phone); a client
    # retries within minutes, so they are removed after this many hours.
    idempotency_retention_hours: int = Field(72, ge=1)
    # Emergencies: the first report is due this long after an incident is known, follow-ups at this interval
    # until the final report; a called-out tier should muster within this target.
    first_report_minutes: int = Field(30, ge=1)
    followup_report_minutes: int = Field(60, ge=1)
    muster_target_minutes: int = Field(5, ge=1)
    # Where residents open the app (e.g. "https://wangge.example.gov.cn"): the QR code of a grid's poster 亮证 points
    # there. Empty: the address the poster was asked at (fine when staff and residents use the same host).
    public_base_url: str = ""
    # A font file with Chinese glyphs (.ttf, .otf, .ttc) for the posters; empty: one fontconfig finds (Noto Sans CJK
    # SC, WenQuanYi). With neither, a poster is answered 503 `poster-font-missing`.
    poster_font: str = ""
    # The key of personal data at rest (identity numbers and phones of the registries: AES-GCM, and the keyed hash
    # they are searched by), at least 32 characters; empty in development and tests: derived from secret_key.
    # Changing it makes the stored numbers unreadable.
    personal_data_key: SecretStr = SecretStr("")
    # Supplies in reserve 应急物资储备: an item expiring within this many days is listed and its keepers are told once.
    reserve_expiry_days: int = Field(30, ge=1, le=365)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment != "development" and (self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32):
            raise ValueError(
                "WANGGE_SECRET_KEY must be set to a random value of at least 32 characters outside development "
                f"(for example: {secrets.token_urlsafe(48)})"
            )
        return self

    @model_validator(mode="after")
    def _refuse_missing_personal_data_key(self) -> Settings:
        key = self.personal_data_key.get_secret_value()
        if (self.environment == "production" and len(key) < 32) or (key and len(key) < 32):
            raise ValueError(
                "WANGGE_PERSONAL_DATA_KEY must be set to a random value of at least 32 characters in production "
                f"(for example: {secrets.token_urlsafe(48)}); keep it: the stored identity numbers need it"
            )
        return self

    @model_validator(mode="after")
    def _refuse_weak_webhook_secret(self) -> Settings:
        # A receiver trusts what is signed with this secret (an SMS gateway texts residents), so it must not be
        # guessable once the service is real.
        if self.environment != "development" and self.webhook_url and len(self.webhook_secret) < 16:
            raise ValueError(
                "WANGGE_WEBHOOK_SECRET must be set to a random value of at least 16 characters when "
                f"WANGGE_WEBHOOK_URL is set outside development (for example: {secrets.token_urlsafe(32)})"
            )
        return self

    @model_validator(mode="after")
    def _refuse_unusable_basemap(self) -> Settings:
        # Checked here so that a wrong key, template or file stops the start with a message, not a grey map later.
        tile_file = None
        try:
            if self.basemap_preset == "pmtiles":
                if self.pmtiles_path is None:
                    raise BasemapError("WANGGE_PMTILES_PATH must name a PMTiles file for the pmtiles basemap")
                tile_file = TileFile(self.pmtiles_path)
            self.basemap_descriptor(tile_file)
        except BasemapError as exc:
            raise ValueError(str(exc)) from None
        finally:
            if tile_file is not None:
                tile_file.close()
        return self

    @property
    def basemap_preset(self) -> Preset:
        return resolve_preset(self.basemap, self.tile_url)

    def basemap_descriptor(self, tile_file: TileFile | None = None) -> Basemap:
        return describe(
            preset=self.basemap_preset,
            tianditu_key=self.tianditu_key,
            basemap_url=self.basemap_url,
            basemap_datum=self.basemap_datum,
            basemap_attribution=self.basemap_attribution,
            tile_url=self.tile_url,
            tile_attribution=self.tile_attribution,
            tile_file=tile_file,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def admission_limit(self) -> int | None:
        if self.max_concurrent_requests is not None:
            return self.max_concurrent_requests
        return SQLITE_ADMISSION if self.is_sqlite else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
