"""A real S3-compatible server for the tests: moto's server mode (`moto_server`, from PyPI) in its own process on a
free loopback port, spoken to over HTTP by boto3 exactly as production speaks to its object storage."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import boto3
import httpx

from support.server import free_port

ACCESS_KEY = "wangge-test"
SECRET_KEY = "wangge-test-secret"  # noqa: S105 - moto accepts any key
REGION = "us-east-1"


class S3Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> S3Server:
        moto_server = Path(sys.executable).parent / "moto_server"
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's script
            [str(moto_server), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.endpoint + "/moto-api/", timeout=1)
                return self
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)

    def client(self):  # boto3's client, as the app makes it
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def settings(self, bucket: str) -> dict[str, str]:
        """The app's settings for a bucket on this server."""
        return {
            "s3_bucket": bucket,
            "s3_endpoint_url": self.endpoint,
            "s3_region": REGION,
            "s3_access_key_id": ACCESS_KEY,
            "s3_secret_access_key": SECRET_KEY,
        }

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
