"""mixreward for OpenRLHF: the remote reward URL, or a local reward function.

Remote (recommended): start ``mixreward serve --config my-config.yaml --port 8000`` and train with::

    --reward.remote_url http://127.0.0.1:8000/get_reward      # OpenRLHF 0.11 (older: --remote_rm_url)

OpenRLHF posts ``{"query": [...], "prompts": [...], "labels": [...]}`` and reads ``rewards``,
``scores`` and ``extra_logs``; it retries 5 times on a non-2xx answer, which is what the server sends
for a fault (503 infrastructure, 422 unusable sample) instead of a fake 0.

Local variant (``--reward.remote_url mixreward_openrlhf.py`` naming this file, as OpenRLHF allows a
``.py`` path with a ``reward_func``): :func:`reward_func` forwards the batch to the same server.
Standard library plus torch (which OpenRLHF has).
"""

import json
import os
import time
import urllib.error
import urllib.request

__all__ = ["reward_func", "MixRewardError"]


class MixRewardError(RuntimeError):
    """The server could not score the batch after every retry."""


def _post(url, body, timeout=180.0, tries=5, delay=1.0):
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("MIXREWARD_TOKEN")
    if token:
        headers["Authorization"] = "Bearer " + token
    last = None
    for attempt in range(tries):
        request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            last = "HTTP %s: %s" % (error.code, error.read().decode("utf-8", "replace"))
            retry_after = error.headers.get("Retry-After")
            wait = float(retry_after) if retry_after and retry_after.isdigit() else delay
        except (urllib.error.URLError, ValueError) as error:
            last = str(error)
            wait = delay
        if attempt + 1 < tries:
            time.sleep(wait)
    raise MixRewardError("mixreward server failed %d times: %s" % (tries, last))


def reward_func(queries, prompts, labels, **kwargs):
    """OpenRLHF's local reward function: ``rewards``, ``scores`` and ``extra_logs`` for a batch."""
    url = (os.environ.get("MIXREWARD_URL") or "http://127.0.0.1:8000").rstrip("/") + "/get_reward"
    body = _post(url, {"query": list(queries), "prompts": list(prompts), "labels": ["" if label is None else label for label in labels]})
    try:
        import torch
    except ImportError:  # outside a trainer (tests): plain lists
        return body
    return {
        "rewards": torch.tensor(body["rewards"], dtype=torch.float32),
        "scores": torch.tensor(body["scores"], dtype=torch.float32),
        "extra_logs": {name: torch.tensor([float("nan") if value is None else value for value in values]) for name, values in body["extra_logs"].items()},
    }
