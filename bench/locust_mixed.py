"""The load of bench/mixed.py, for locust (run by it, one headless locust per step of rate).

MixedUser makes the requests a city makes per resident submission, in its proportions (the issue's mix): 1
submission, 3 tracking reads, 5 inbox and list reads, 2 record reads, 1 staff action, 2 GPS batches of 20 points,
1 locate. BareUser posts to the bare endpoint of the same stack (bench/bare_app.py). Each user makes at most
MIXED_USER_RATE requests a second, so the rate offered is the number of users times that; what the server
sustains shows in the rate achieved and the 95th percentile. Each user starts at a random moment of its first
period: locust starts users in batches, and users started together would keep asking together every period, in
bursts of dozens of requests at once (a city's requests do not arrive in step), whose wait in line the 95th
percentile would measure rather than the server's cost. The accounts' tokens, the matters to read and the
points inside the demo grids come from bench/mixed.py in MIXED_CONFIG (JSON)."""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta

import gevent
from locust import FastHttpUser, constant_throughput, task

CONFIG = json.loads(os.environ.get("MIXED_CONFIG", "{}"))
RATE = float(os.environ.get("MIXED_USER_RATE", "2"))
LISTS = [
    ("leader", "/api/v1/matters?box=grid&status=open", "list: grid, open"),
    ("leader", "/api/v1/matters?box=mine&status=open", "list: mine, open"),
    ("chief", "/api/v1/matters?box=unit&status=open", "list: station, open"),
    ("chief", "/api/v1/matters/supervision", "list: supervision"),
    ("leader", "/api/v1/matters?box=grid&status=closed", "list: grid, closed"),
]


def _start_out_of_step(rng: random.Random) -> None:
    """Wait a random part of the user's period before its first task (constant_throughput keeps the phase)."""
    gevent.sleep(rng.uniform(0, 1 / RATE))


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class MixedUser(FastHttpUser):
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.leader = _auth(self.rng.choice(CONFIG["leaders"]))
        self.chief = _auth(CONFIG["chief"])
        self.tracked = list(CONFIG["tracked"])  # (code, token) of submissions, this user's own added as it goes
        self.lists = itertools.cycle(self.rng.sample(LISTS, len(LISTS)))
        self.clock = datetime.now(UTC)
        self.batch = 0
        r = self.client.post(
            "/api/v1/patrols",
            json={"client_id": uuid.uuid4().hex, "started_at": (self.clock - timedelta(minutes=1)).isoformat()},
            headers=self.leader,
            name="patrol: start",
        )
        self.patrol = r.json()["id"]
        _start_out_of_step(self.rng)

    def _point(self) -> tuple[float, float]:
        lat, lon = self.rng.choice(CONFIG["points"])
        return lat + self.rng.uniform(-1e-5, 1e-5), lon + self.rng.uniform(-1e-5, 1e-5)

    @task(1)
    def submit(self) -> None:
        lat, lon = self._point()
        body = {
            "category": "sanitation",
            "description": "楼道堆放杂物，影响通行",
            "lat": lat,
            "lon": lon,
            "reporter_phone": "13800138000",
        }
        with self.client.post("/api/v1/public/matters", json=body, name="submit", catch_response=True) as r:
            if r.status_code == 201:
                out = r.json()
                self.tracked.append((out["tracking_code"], out["tracking_token"]))
                r.success()

    @task(3)
    def track(self) -> None:
        code, token = self.rng.choice(self.tracked[-20:])
        self.client.get(f"/api/v1/public/matters/{code}", headers={"X-Tracking-Token": token}, name="track")

    @task(5)
    def inbox(self) -> None:
        who, path, name = next(self.lists)
        self.client.get(path, headers=self.leader if who == "leader" else self.chief, name=name)

    @task(2)
    def record(self) -> None:
        self.client.get(f"/api/v1/matters/{self.rng.choice(CONFIG['matters'])}", headers=self.chief, name="record")

    @task(1)
    def act(self) -> None:
        self.client.post(
            f"/api/v1/matters/{self.rng.choice(CONFIG['matters'])}/supervision-notes",
            json={"text": "请尽快处理并反馈"},
            headers=self.chief,
            name="staff action: supervision note",
        )

    @task(2)
    def gps(self) -> None:
        self.batch += 1
        lat, lon = self._point()
        points = []
        for i in range(20):
            self.clock += timedelta(seconds=3)
            points.append(
                {
                    "client_id": f"{self.batch}-{i}",
                    "recorded_at": self.clock.isoformat(),
                    "lat": round(lat + i * 2e-6, 7),
                    "lon": round(lon + i * 2e-6, 7),
                    "accuracy_m": 5.0,
                }
            )
        key = uuid.uuid4().hex
        self.client.post(
            f"/api/v1/patrols/{self.patrol}/points",
            json={"batch_id": key, "points": points},
            headers={**self.leader, "Idempotency-Key": key},
            name="gps batch",
        )

    @task(1)
    def locate(self) -> None:
        lat, lon = self._point()
        self.client.get(f"/api/v1/grids/locate?lat={lat}&lon={lon}", headers=self.chief, name="locate")


class BareUser(FastHttpUser):
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        _start_out_of_step(random.Random())

    @task
    def bare(self) -> None:
        self.client.post("/bare", json={"description": "楼道堆放杂物，影响通行"}, name="bare insert")
