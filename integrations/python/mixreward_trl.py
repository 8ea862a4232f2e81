"""mixreward for TRL: reward functions for GRPOTrainer that ask a mixreward server.

Copy this one file next to your training script (standard library only). Start the server first
(``mixreward serve --config my-config.yaml``), then::

    from mixreward_trl import MixRewardFunc
    reward = MixRewardFunc(reference_column="solution")           # URL from MIXREWARD_URL
    trainer = GRPOTrainer(model=..., reward_funcs=[reward], ...)
    # or every component as its own reward function, weighted by TRL:
    trainer = GRPOTrainer(..., reward_funcs=[reward.component("format"), reward.component("accuracy")],
                          args=GRPOConfig(reward_weights=[0.1, 0.9], ...))

TRL calls each function as ``f(prompts=..., completions=..., completion_ids=..., **dataset_columns,
trainer_state=...)`` and expects one ``float`` or ``None`` per completion. ``None`` means "not
applicable": TRL leaves it out of the weighted sum. Here a ``skipped`` rollout (or a component that
did not score it) is ``None``; a fault (the server down, a model missing, a sample whose status is
``error``/``timeout``) raises ``MixRewardError``: never a fake 0.

Conversational datasets are mapped as TRL gives them: the prompt's messages are sent as the
rollout's prompt, and the completion is the text of the last message (its ``content``, or the text
parts of a multimodal content list).
"""

import asyncio
import json
import os
import urllib.error
import urllib.request

__all__ = ["MixRewardFunc", "AsyncMixRewardFunc", "MixRewardError"]


class MixRewardError(RuntimeError):
    """The server could not score a batch (a fault, never a wrong answer)."""


def _post(url, body, timeout):
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("MIXREWARD_TOKEN")
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            reason = json.loads(text).get("error", text)
        except ValueError:
            reason = text
        raise MixRewardError("mixreward server answered HTTP %s: %s" % (error.code, reason)) from None
    except urllib.error.URLError as error:
        raise MixRewardError("mixreward server at %s is unreachable: %s" % (url, error.reason)) from None


def _text(completion):
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list) and completion:
        content = completion[-1].get("content") if isinstance(completion[-1], dict) else None
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    raise MixRewardError("a completion must be a string or a list of chat messages, got %r" % (type(completion).__name__,))


def _jsonable(value):
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False


class MixRewardFunc:
    """A TRL reward function backed by a mixreward server: one request per call (the whole batch).

    :param url: the server URL (default: ``MIXREWARD_URL``, else ``http://127.0.0.1:8000``)
    :param reference_column: the dataset column holding the reference (default ``solution``)
    :param task_column: the dataset column that routes rollouts in the config (default: none)
    :param component: report this component instead of the composed reward (see :meth:`component`)
    :param timeout: seconds per request (default 180)
    """

    def __init__(self, url=None, reference_column="solution", task_column=None, component=None, timeout=180.0):
        self.url = (url or os.environ.get("MIXREWARD_URL") or "http://127.0.0.1:8000").rstrip("/")
        self.reference_column = reference_column
        self.task_column = task_column
        self.component_name = component
        self.timeout = timeout
        self._cache = None
        self.__name__ = "mixreward" if component is None else "mixreward_" + component

    def component(self, name):
        """The same server and columns, reporting the component ``name`` (``None`` where it did not score)."""
        other = type(self)(self.url, self.reference_column, self.task_column, name, self.timeout)
        other._shared = self
        return other

    def _rollouts(self, prompts, completions, columns):
        rollouts = []
        for index, completion in enumerate(completions):
            rollout = {"completion": _text(completion)}
            if prompts is not None and index < len(prompts) and prompts[index] is not None:
                rollout["prompt"] = prompts[index]
            meta = {}
            for name, values in columns.items():
                if name == "trainer_state" or not isinstance(values, (list, tuple)) or index >= len(values):
                    continue
                value = values[index]
                if name == self.reference_column:
                    if value is not None:
                        rollout["reference"] = value
                elif name == self.task_column:
                    rollout["task"] = str(value)
                elif _jsonable(value):
                    meta[name] = value
            rollout["meta"] = meta
            rollouts.append(rollout)
        return rollouts

    def _records(self, rollouts):
        owner = getattr(self, "_shared", self)
        key = json.dumps(rollouts, sort_keys=True)
        if owner._cache is not None and owner._cache[0] == key:
            return owner._cache[1]
        body = _post(self.url + "/v1/score", {"rollouts": rollouts}, self.timeout)
        records = body.get("results")
        if not isinstance(records, list) or len(records) != len(rollouts):
            raise MixRewardError("mixreward server returned a malformed body: %r" % (body,))
        owner._cache = (key, records)
        return records

    def _values(self, records):
        values = []
        for record in records:
            status = record.get("status")
            if status in ("error", "timeout"):
                raise MixRewardError("mixreward could not score a completion: %s %s" % (status, record.get("reason", "")))
            if self.component_name is None:
                reward = record.get("reward")
                values.append(float(reward) if status == "ok" and isinstance(reward, (int, float)) else None)
            else:
                value = (record.get("components") or {}).get(self.component_name)
                values.append(float(value) if isinstance(value, (int, float)) else None)
        return values

    def __call__(self, prompts=None, completions=None, completion_ids=None, **columns):
        if completions is None:
            raise MixRewardError("TRL passes completions=...; got none")
        return self._values(self._records(self._rollouts(prompts, completions, columns)))


class AsyncMixRewardFunc(MixRewardFunc):
    """The async variant (TRL awaits ``async def`` reward functions): the request runs in a thread."""

    async def __call__(self, prompts=None, completions=None, completion_ids=None, **columns):
        if completions is None:
            raise MixRewardError("TRL passes completions=...; got none")
        rollouts = self._rollouts(prompts, completions, columns)
        records = await asyncio.get_running_loop().run_in_executor(None, self._records, rollouts)
        return self._values(records)
