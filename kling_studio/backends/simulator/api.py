"""The simulated ``/v1`` video API without HTTP: create, query, list, and the JSON they return.

Bodies are checked with :func:`kling_studio.domain.requests.check_request`, the same rules the app
applies before sending, so a body the app would refuse is refused here with the real API's codes.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kling_studio.backends.simulator.config import SimulatorConfig
from kling_studio.backends.simulator.faults import Faults, http_status_for
from kling_studio.backends.simulator.plan import render_plan, units_text
from kling_studio.backends.simulator.probe import make_probe, video_values
from kling_studio.backends.simulator.state import (
    DuplicateExternalIdError,
    Task,
    TaskStore,
    snowflake,
)
from kling_studio.backends.simulator.worker import RenderWorker
from kling_studio.domain.catalog import Catalog
from kling_studio.domain.pricing import RateCard
from kling_studio.domain.requests import (
    VIDEO_ENDPOINTS,
    Probe,
    api_error,
    check_request,
    parse_request,
)

MAX_BODY_BYTES = 64 * 1024 * 1024
PAGE_NUM = (1, 1000)
PAGE_SIZE = (1, 500)


class ApiError(Exception):
    """A Kling error envelope to answer with."""

    def __init__(self, code: int, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else http_status_for(code)


def request_id() -> str:
    return str(uuid.uuid4())


def envelope(data: Any) -> dict[str, Any]:
    return {"code": 0, "message": "SUCCEED", "request_id": request_id(), "data": data}


def error_envelope(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "request_id": request_id()}


def _epoch_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class SimulatedApi:
    """Everything a request handler needs, shared by all handler threads."""

    config: SimulatorConfig
    store: TaskStore
    faults: Faults
    worker: RenderWorker
    catalog: Catalog
    card: RateCard | None
    base_url: str = ""

    def create(self, endpoint: str, raw: bytes) -> Task:
        """Validate a create body and store its task; raises :class:`ApiError`."""
        body = _decode(raw)
        probe = _cached(make_probe(video_values(body)))
        found = api_error(check_request(endpoint, body, self.catalog, probe))
        if found is not None:
            code, message = found
            unknown = self._unknown_model(body)
            if code == 1201 and unknown is not None:
                # A model the API does not know at all is a missing resource (404), whereas a
                # known model on the wrong endpoint is an invalid value (measured: 1201).
                offered = message.partition(";")[2].strip()
                raise ApiError(1203, f"model_name {unknown} does not exist; {offered}".strip())
            raise ApiError(code, message)
        storyboard, _ = parse_request(endpoint, body, self.catalog, probe)
        if storyboard is None:  # check_request passed, so this cannot happen; stay safe
            raise ApiError(1200, "the request body could not be read")
        ext = body.get("external_task_id")
        task = Task(
            task_id=snowflake(),
            endpoint=endpoint,
            external_task_id=ext if isinstance(ext, str) and ext else None,
            body=body,
            model_name=storyboard.settings.model,
            units=units_text(storyboard, self.catalog, self.card),
            plan=render_plan(storyboard, self.catalog),
            created_ms=_epoch_ms(),
            created_at=time.monotonic(),
            timeline=self.config.timeline,
        )
        with self.store.lock:  # the worker must not see the task before its fate is set
            try:
                self.store.add(task)
            except DuplicateExternalIdError:
                raise ApiError(1201, f"external_task_id {ext} already exists") from None
            task.fail_message = self.faults.take_failure()
        return task

    def _unknown_model(self, body: dict[str, Any]) -> str | None:
        name = body.get("model_name")
        return name if isinstance(name, str) and self.catalog.kling(name) is None else None

    def query(self, endpoint: str, ident: str) -> dict[str, Any]:
        if endpoint not in VIDEO_ENDPOINTS:
            raise ApiError(1202, f"/v1/videos/{endpoint} is not a supported endpoint")
        task = self.store.find(endpoint, ident)
        if task is None:
            raise ApiError(1203, f"task {ident} not found on {endpoint}")
        self.worker.ensure(task)
        return self.task_json(task)

    def list(self, endpoint: str, params: dict[str, list[str]]) -> list[dict[str, Any]]:
        if endpoint not in VIDEO_ENDPOINTS:
            raise ApiError(1202, f"/v1/videos/{endpoint} is not a supported endpoint")
        page = _int_param(params, "pageNum", 1, PAGE_NUM)
        size = _int_param(params, "pageSize", 30, PAGE_SIZE)
        tasks = self.store.page(endpoint, page, size)
        for task in tasks:
            self.worker.ensure(task)
        return [self.task_json(t) for t in tasks]

    def created_json(self, task: Task) -> dict[str, Any]:
        return {
            "task_id": task.task_id,
            "task_info": _task_info(task),
            "task_status": "submitted",
            "created_at": task.created_ms,
            "updated_at": task.created_ms,
        }

    def task_json(self, task: Task) -> dict[str, Any]:
        with self.store.lock:
            status, message, changed = task.status(time.monotonic())
            data: dict[str, Any] = {
                "task_id": task.task_id,
                "task_status": status,
                "task_status_msg": message,
                "task_info": _task_info(task),
                "watermark_info": {"enabled": task.plan.watermark},
                "final_unit_deduction": task.units if status == "succeed" else "0",
                "created_at": task.created_ms,
                "updated_at": task.created_ms + int(changed * 1000),
            }
            if status == "succeed":
                data["task_result"] = {"videos": [self._video_json(task)]}
        return data

    def _video_json(self, task: Task) -> dict[str, Any]:
        info = task.render_info
        assert info is not None
        url = f"{self.base_url}/results/{task.task_id}.mp4?token={task.token}"
        wm = f"{self.base_url}/results/{task.task_id}-wm.mp4?token={task.token}"
        video: dict[str, Any] = {
            "id": task.video_id,
            "url": url,
            "watermark_url": wm if task.plan.watermark else "",
            "duration": str(round(info.duration, 3)),
        }
        if info.downscaled_from:
            video["simulator_note"] = (
                f"rendered at {info.width}x{info.height}: the simulator renders "
                f"{info.downscaled_from} requests at 1080p to stay fast"
            )
        return video


def _task_info(task: Task) -> dict[str, Any]:
    return {} if task.external_task_id is None else {"external_task_id": task.external_task_id}


def _decode(raw: bytes) -> Any:
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(1200, f"the request body is larger than {MAX_BODY_BYTES // 2**20} MB")
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(1200, "the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(1200, "the request body must be a JSON object")
    return body


def _cached(probe: Probe) -> Probe:
    """The same probe, memoised: the body is read twice (check, then parse)."""
    return lru_cache(maxsize=64)(probe)


def _int_param(
    params: dict[str, list[str]], name: str, default: int, bounds: tuple[int, int]
) -> int:
    values = params.get(name)
    if not values:
        return default
    lo, hi = bounds
    text = values[-1].strip()
    if not (text.isascii() and text.isdigit()) or not lo <= int(text) <= hi:
        raise ApiError(1201, f"{name} must be an integer from {lo} to {hi} (got {text[:20]!r})")
    return int(text)
