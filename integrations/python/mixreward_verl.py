"""mixreward for verl: a custom reward function that asks a mixreward server.

Copy this one file next to your training script (standard library only; aiohttp is used when
installed, as verl has it). Start the server first:

    mixreward serve --config my-config.yaml --port 8000

and point verl at this file (verl 0.10, config under ``reward.*``)::

    reward.custom_reward_function.path=mixreward_verl.py
    reward.custom_reward_function.name=compute_score
    # the server URL (default http://127.0.0.1:8000):
    # export MIXREWARD_URL=http://127.0.0.1:8000

verl calls ``compute_score(data_source=..., solution_str=..., ground_truth=..., extra_info=...)``
once per sample and awaits it when it is ``async def`` (as here). Concurrent calls made within
``MIXREWARD_BATCH_WAIT_MS`` milliseconds (default 5) are sent to the server as one request.

Return value: a dict with ``score`` (the reward) and the SAME keys for every sample, because verl
indexes all samples with the first sample's keys:

- ``score``: the reward; for a ``skipped`` rollout the server's ``on_skip`` value (default 0).
- ``skipped``: 1.0 when the rollout was skipped, else 0.0.
- one key per component of the config (``format``, ``accuracy``, ...): its value, or 0.0 when the
  component did not score that sample (the fill value; ``skipped`` tells those apart). A component
  named ``score`` or ``skipped`` is reported as ``component_score`` / ``component_skipped``.

Faults are never rewards: when the server answers an error (503 infrastructure, 422 bad input) or a
sample's status is ``error``/``timeout``, ``compute_score`` raises ``MixRewardError`` so the step
fails loudly instead of training on a fake 0.
"""

import asyncio
import json
import os
import urllib.error
import urllib.request

__all__ = ["compute_score", "compute_score_sync", "MixRewardError"]

_FILL = 0.0
_RESERVED = ("score", "skipped")


class MixRewardError(RuntimeError):
    """The server could not score a sample (a fault, never a wrong answer)."""


def _url(url=None):
    return (url or os.environ.get("MIXREWARD_URL") or "http://127.0.0.1:8000").rstrip("/")


def _headers():
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("MIXREWARD_TOKEN")
    if token:
        headers["Authorization"] = "Bearer " + token
    return headers


def _request(method, url, body=None, timeout=180.0):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers=_headers())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, {"error": text}


async def _request_async(method, url, body=None, timeout=180.0):
    try:
        import aiohttp  # verl ships it
    except ImportError:
        return await asyncio.get_running_loop().run_in_executor(None, _request, method, url, body, timeout)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        async with session.request(method, url, json=body, headers=_headers()) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, {"error": text}


def _rollout(data_source, solution_str, ground_truth, extra_info):
    rollout = {"completion": solution_str if isinstance(solution_str, str) else str(solution_str)}
    if ground_truth is not None:
        rollout["reference"] = ground_truth
    if data_source is not None:
        rollout["task"] = str(data_source)
    if isinstance(extra_info, dict):
        meta = {key: value for key, value in extra_info.items() if _jsonable(value)}
        if "group" not in meta and "uid" in meta:
            meta["group"] = meta["uid"]
        rollout["meta"] = meta
        prompt = extra_info.get("prompt")
        if isinstance(prompt, (str, list)):
            rollout["prompt"] = prompt
    return rollout


def _jsonable(value):
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False


def _key(name):
    return "component_" + name if name in _RESERVED else name


def _shape(record, components, on_skip):
    status = record.get("status")
    if status in ("error", "timeout"):
        raise MixRewardError("mixreward could not score this sample: %s %s" % (status, record.get("reason", "")))
    skipped = status == "skipped"
    reward = record.get("reward")
    out = {"score": float(on_skip) if skipped or reward is None else float(reward), "skipped": 1.0 if skipped else 0.0}
    values = record.get("components") or {}
    for name in components:
        value = values.get(name)
        out[_key(name)] = float(value) if isinstance(value, (int, float)) else _FILL
    return out


class _Batcher:
    """Gathers concurrent compute_score calls of one event loop into one request."""

    def __init__(self, url, wait_ms):
        self.url = url
        self.wait = wait_ms / 1000.0
        self.pending = []
        self.flushing = None
        self.info = None

    async def config(self):
        if self.info is None:
            status, body = await _request_async("GET", self.url + "/v1/config")
            if status != 200:
                raise MixRewardError("mixreward server at %s answered %s to /v1/config: %s" % (self.url, status, body.get("error", body)))
            self.info = (list(body.get("components", [])), float(body.get("on_skip", 0)))
        return self.info

    async def score(self, rollout):
        future = asyncio.get_running_loop().create_future()
        self.pending.append((rollout, future))
        if self.flushing is None:
            self.flushing = asyncio.ensure_future(self._flush_later())
        return await future

    async def _flush_later(self):
        await asyncio.sleep(self.wait)
        batch, self.pending, self.flushing = self.pending, [], None
        try:
            status, body = await _request_async("POST", self.url + "/v1/score", {"rollouts": [rollout for rollout, _ in batch]})
            if status != 200:
                raise MixRewardError("mixreward server answered HTTP %s: %s" % (status, body.get("error", body)))
            records = body["results"]
            if len(records) != len(batch):
                raise MixRewardError("mixreward server returned %d results for %d rollouts" % (len(records), len(batch)))
            for (_, future), record in zip(batch, records):
                if not future.done():
                    future.set_result(record)
        except BaseException as error:  # every waiting sample sees the fault
            for _, future in batch:
                if not future.done():
                    future.set_exception(error if isinstance(error, MixRewardError) else MixRewardError(str(error)))


_batchers = {}


def _batcher(url):
    loop = asyncio.get_running_loop()
    key = (id(loop), url)
    batcher = _batchers.get(key)
    if batcher is None:
        batcher = _Batcher(url, float(os.environ.get("MIXREWARD_BATCH_WAIT_MS", "5")))
        _batchers[key] = batcher
    return batcher


async def compute_score(data_source=None, solution_str="", ground_truth=None, extra_info=None, url=None, **kwargs):
    """verl's custom reward function: the composed reward of one sample, as a dict with ``score``."""
    batcher = _batcher(_url(url))
    components, on_skip = await batcher.config()
    record = await batcher.score(_rollout(data_source, solution_str, ground_truth, extra_info))
    return _shape(record, components, on_skip)


def compute_score_sync(data_source=None, solution_str="", ground_truth=None, extra_info=None, url=None, **kwargs):
    """The same as :func:`compute_score` for reward managers that call a plain function (one request per sample)."""
    base = _url(url)
    status, info = _request("GET", base + "/v1/config")
    if status != 200:
        raise MixRewardError("mixreward server at %s answered %s to /v1/config" % (base, status))
    status, body = _request("POST", base + "/v1/score", {"rollouts": [_rollout(data_source, solution_str, ground_truth, extra_info)]})
    if status != 200:
        raise MixRewardError("mixreward server answered HTTP %s: %s" % (status, body.get("error", body)))
    return _shape(body["results"][0], list(info.get("components", [])), float(info.get("on_skip", 0)))
