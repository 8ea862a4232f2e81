/**
 * The judge client: the `openai` package pointed at any OpenAI-compatible server, with a
 * concurrency limit, a requests/tokens-per-minute limit, retries with backoff and jitter that honour
 * `Retry-After`, a per-call deadline and a bounded response cache (memory, optionally disk).
 * @internal
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import type OpenAI from 'openai';
import { z } from 'zod';
import { RewardError, errorMessage, loadOptionalModule } from '@mixreward/core';

/** The client options every judge reward shares (snake_case, as in a config). @internal */
export const clientOptionsShape = {
  base_url: z.string().url().describe('The OpenAI-compatible server, up to /v1 (e.g. "http://127.0.0.1:8000/v1" for `vllm serve … --port 8000`). Required.'),
  model: z.string().min(1).describe('The model name the server serves (vLLM: the name given to `vllm serve`, or --served-model-name). Required.'),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable NAME, not a key')
    .optional()
    .describe('Name of the environment variable that holds the API key (e.g. "OPENAI_API_KEY"); the key itself never goes in a config. Default: none (sends the placeholder key "EMPTY", which vLLM and SGLang accept).'),
  max_concurrency: z.number().int().min(1).max(4096).default(16).describe('Requests in flight at once, 1..4096 (default 16).'),
  requests_per_minute: z.number().min(0).default(0).describe('Request rate limit per minute, >= 0; 0 = unlimited (default 0).'),
  tokens_per_minute: z.number().min(0).default(0).describe('Token rate limit per minute (prompt estimated at 4 characters per token, plus max_tokens), >= 0; 0 = unlimited (default 0).'),
  max_retries: z.number().int().min(0).max(20).default(4).describe('Retries after a 429, a 5xx, a 408, a timeout or a lost connection, 0..20 (default 4).'),
  retry_base_ms: z.number().int().min(0).default(500).describe('First backoff in ms, doubled per retry with full jitter in [50%, 100%], >= 0 (default 500). A Retry-After header wins.'),
  retry_max_ms: z.number().int().min(0).default(30_000).describe('Longest single backoff in ms, Retry-After included, >= 0 (default 30000).'),
  timeout_ms: z.number().int().min(1).default(60_000).describe('Time limit of one HTTP attempt in ms, >= 1 (default 60000).'),
  deadline_ms: z.number().int().min(1).default(180_000).describe('Time limit of one judged call in ms, retries and waits included, >= 1 (default 180000); past it the result is `timeout`.'),
  temperature: z.number().min(0).max(2).default(0).describe('Sampling temperature, 0..2 (default 0: a judge should be deterministic).'),
  seed: z.number().int().optional().describe('Sampling seed sent to the server, an integer (default: none).'),
  cache_size: z.number().int().min(0).default(4096).describe('Responses kept in memory (least recently used dropped), >= 0; 0 = no cache (default 4096).'),
  cache_dir: z.string().min(1).optional().describe('Folder for an on-disk response cache (one JSON file per request key), relative to the config folder. Default: none.'),
} as const;

/** Parsed client options. @internal */
export interface ClientSettings {
  base_url: string;
  model: string;
  api_key_env?: string | undefined;
  max_concurrency: number;
  requests_per_minute: number;
  tokens_per_minute: number;
  max_retries: number;
  retry_base_ms: number;
  retry_max_ms: number;
  timeout_ms: number;
  deadline_ms: number;
  temperature: number;
  seed?: number | undefined;
  cache_size: number;
  cache_dir?: string | undefined;
}

/** One chat message sent to the judge. @internal */
export interface JudgeMessage {
  role: 'system' | 'user';
  content: string;
}

/** One chat request. @internal */
export interface JudgeRequest {
  messages: JudgeMessage[];
  max_tokens: number;
  /** A JSON schema the reply must follow (structured output), when the reward asks for one. */
  json_schema?: { name: string; schema: Record<string, unknown> };
  /** Top alternatives per generated token, 1..20; none when undefined. */
  top_logprobs?: number;
}

/** One generated token with its alternatives. @internal */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

/** What a call returns. @internal */
export interface JudgeReply {
  content: string;
  /** Per-token log probabilities, when the server returned them. */
  logprobs?: TokenLogprob[];
  /** True when served from the cache. */
  cached: boolean;
}

/** Counters for benchmarks and tests. @internal */
export interface ClientStats {
  requests: number;
  cache_hits: number;
  retries: number;
}

const RETRYABLE = new Set([408, 409, 425, 429]);

/** A small counting semaphore. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** A token bucket refilled continuously: `perMinute` units a minute, holding at most `perMinute`. */
class Bucket {
  private level: number;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();
  constructor(private readonly perMinute: number) {
    this.level = perMinute;
  }
  /** Wait until `amount` units are available (an amount over capacity waits for a full bucket), then take them. */
  take(amount: number, signal: AbortSignal): Promise<void> {
    const run = this.queue.then(async () => {
      const need = Math.min(amount, this.perMinute);
      for (;;) {
        const now = performance.now();
        this.level = Math.min(this.perMinute, this.level + ((now - this.last) * this.perMinute) / 60_000);
        this.last = now;
        if (this.level >= need) {
          this.level -= need;
          return;
        }
        await sleep(((need - this.level) * 60_000) / this.perMinute, signal);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The wait a server asks for, in ms: `retry-after-ms`, or `Retry-After` as seconds or an HTTP date.
 * @returns ms >= 0, or undefined when the headers ask for nothing readable
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Number(milliseconds);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A JSON-safe view of a request: the cache key's input. */
function requestKey(settings: ClientSettings, request: JudgeRequest): string {
  const material = JSON.stringify([
    settings.model,
    request.messages,
    { temperature: settings.temperature, seed: settings.seed ?? null, max_tokens: request.max_tokens, top_logprobs: request.top_logprobs ?? null, json_schema: request.json_schema ?? null },
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * A judge client for one reward. Calls never throw anything but {@link RewardError}:
 * `MODEL_UNAVAILABLE` (outage, refusal, exhausted retries, a 4xx), `TIMEOUT` (deadline) or `ABORTED`.
 * @internal
 */
export class JudgeClient {
  readonly stats: ClientStats = { requests: 0, cache_hits: 0, retries: 0 };
  private readonly openai: OpenAI;
  private readonly semaphore: Semaphore;
  private readonly requestBucket: Bucket | undefined;
  private readonly tokenBucket: Bucket | undefined;
  private readonly memory = new Map<string, JudgeReply>();
  private readonly inFlight = new Map<string, Promise<JudgeReply>>();
  private readonly cacheDir: string | undefined;

  /**
   * Make a client. The `openai` package (a dependency, but half a second to import) is loaded on the
   * first call, so importing this package stays cheap.
   */
  static async create(settings: ClientSettings, baseDir: string): Promise<JudgeClient> {
    const OpenAIClass = await loadOptionalModule<typeof OpenAI>('openai', { feature: 'judge rewards', install: 'npm i openai', importer: () => import('openai') });
    return new JudgeClient(OpenAIClass, settings, baseDir);
  }

  private constructor(
    private readonly OpenAIClass: typeof OpenAI,
    private readonly settings: ClientSettings,
    baseDir: string,
  ) {
    let apiKey = 'EMPTY';
    if (settings.api_key_env !== undefined) {
      const value = process.env[settings.api_key_env];
      if (value === undefined || value === '') {
        throw new RewardError('INVALID_CONFIG', `the environment variable ${settings.api_key_env} (api_key_env) is not set; export it with the judge server's API key, or drop api_key_env for a server without keys`, { path: 'with.api_key_env' });
      }
      apiKey = value;
    }
    this.openai = new OpenAIClass({ baseURL: settings.base_url, apiKey, maxRetries: 0, timeout: settings.timeout_ms });
    this.semaphore = new Semaphore(settings.max_concurrency);
    this.requestBucket = settings.requests_per_minute > 0 ? new Bucket(settings.requests_per_minute) : undefined;
    this.tokenBucket = settings.tokens_per_minute > 0 ? new Bucket(settings.tokens_per_minute) : undefined;
    this.cacheDir = settings.cache_dir === undefined ? undefined : isAbsolute(settings.cache_dir) ? settings.cache_dir : resolvePath(baseDir, settings.cache_dir);
  }

  /** Send one request (or answer it from the cache); identical requests in flight share one call. */
  async complete(request: JudgeRequest, signal: AbortSignal): Promise<JudgeReply> {
    const key = requestKey(this.settings, request);
    if (this.settings.cache_size > 0 || this.cacheDir !== undefined) {
      const hit = this.memory.get(key);
      if (hit) {
        this.memory.delete(key);
        this.memory.set(key, hit);
        this.stats.cache_hits++;
        return { ...hit, cached: true };
      }
      const pending = this.inFlight.get(key);
      if (pending) {
        this.stats.cache_hits++;
        return { ...(await pending), cached: true };
      }
    }
    const call = this.fetchOrCall(key, request, signal);
    this.inFlight.set(key, call);
    try {
      const reply = await call;
      this.remember(key, reply);
      return reply;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remember(key: string, reply: JudgeReply): void {
    if (this.settings.cache_size <= 0) return;
    this.memory.set(key, reply);
    while (this.memory.size > this.settings.cache_size) {
      const oldest = this.memory.keys().next().value as string;
      this.memory.delete(oldest);
    }
  }

  private async fetchOrCall(key: string, request: JudgeRequest, signal: AbortSignal): Promise<JudgeReply> {
    if (this.cacheDir !== undefined) {
      try {
        const stored = JSON.parse(await readFile(join(this.cacheDir, `${key}.json`), 'utf8')) as JudgeReply;
        if (typeof stored.content === 'string') {
          this.stats.cache_hits++;
          return { ...stored, cached: true };
        }
      } catch {
        // not stored yet
      }
    }
    const reply = await this.callWithRetries(request, signal);
    if (this.cacheDir !== undefined) {
      try {
        await mkdir(this.cacheDir, { recursive: true });
        await writeFile(join(this.cacheDir, `${key}.json`), JSON.stringify({ content: reply.content, logprobs: reply.logprobs }));
      } catch {
        // a cache that cannot be written is not a fault of the result
      }
    }
    return reply;
  }

  private async callWithRetries(request: JudgeRequest, outerSignal: AbortSignal): Promise<JudgeReply> {
    const deadline = AbortSignal.timeout(this.settings.deadline_ms);
    const signal = AbortSignal.any([outerSignal, deadline]);
    const where = `the judge at ${this.settings.base_url} (model ${this.settings.model})`;
    let lastProblem = '';
    try {
      for (let attempt = 0; ; attempt++) {
        let waitMs: number | undefined;
        try {
          return await this.callOnce(request, signal);
        } catch (error) {
          if (signal.aborted || RewardError.isInstance(error)) throw error;
          const status = error instanceof this.OpenAIClass.APIError ? error.status : undefined;
          const connection = error instanceof this.OpenAIClass.APIConnectionError;
          const retryable = connection || (status !== undefined && (RETRYABLE.has(status) || status >= 500));
          lastProblem = connection ? `no answer (${errorMessage(error)})` : status !== undefined ? `HTTP ${status}: ${errorMessage(error).slice(0, 200)}` : errorMessage(error);
          if (!retryable) {
            throw new RewardError('MODEL_UNAVAILABLE', `${where} failed: ${lastProblem}; check base_url, model and api_key_env`, { cause: error });
          }
          if (attempt >= this.settings.max_retries) break;
          waitMs = error instanceof this.OpenAIClass.APIError ? retryAfterMs(error.headers) : undefined;
        }
        const backoff = waitMs ?? this.settings.retry_base_ms * 2 ** attempt * (0.5 + Math.random() * 0.5);
        this.stats.retries++;
        await sleep(Math.min(backoff, this.settings.retry_max_ms), signal);
      }
    } catch (error) {
      if (RewardError.isInstance(error)) throw error;
      if (deadline.aborted) {
        throw new RewardError('TIMEOUT', `${where} gave no verdict within deadline_ms = ${this.settings.deadline_ms} ms${lastProblem ? ` (last: ${lastProblem})` : ''}`, { cause: error });
      }
      if (outerSignal.aborted) throw new RewardError('ABORTED', 'scoring was cancelled', { cause: error });
      throw new RewardError('MODEL_UNAVAILABLE', `${where} failed: ${errorMessage(error)}`, { cause: error });
    }
    throw new RewardError('MODEL_UNAVAILABLE', `${where} is unavailable: gave up after ${this.settings.max_retries + 1} attempts (last: ${lastProblem}); raise max_retries or check the server`);
  }

  private async callOnce(request: JudgeRequest, signal: AbortSignal): Promise<JudgeReply> {
    if (this.requestBucket) await this.requestBucket.take(1, signal);
    if (this.tokenBucket) {
      const characters = request.messages.reduce((sum, message) => sum + message.content.length, 0);
      await this.tokenBucket.take(Math.ceil(characters / 4) + request.max_tokens, signal);
    }
    await this.semaphore.acquire();
    try {
      this.stats.requests++;
      const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
        model: this.settings.model,
        messages: request.messages,
        max_tokens: request.max_tokens,
        temperature: this.settings.temperature,
      };
      if (this.settings.seed !== undefined) body.seed = this.settings.seed;
      if (request.top_logprobs !== undefined) {
        body.logprobs = true;
        body.top_logprobs = request.top_logprobs;
      }
      if (request.json_schema) body.response_format = { type: 'json_schema', json_schema: { name: request.json_schema.name, strict: true, schema: request.json_schema.schema } };
      const completion = await this.openai.chat.completions.create(body, { signal });
      const choice = completion.choices?.[0];
      if (!choice) throw new RewardError('MODEL_UNAVAILABLE', `the judge at ${this.settings.base_url} answered with no choices`);
      if (choice.message?.refusal) throw new RewardError('MODEL_UNAVAILABLE', `the judge refused: ${choice.message.refusal.slice(0, 200)}`);
      if (choice.finish_reason === 'content_filter') throw new RewardError('MODEL_UNAVAILABLE', 'the judge refused (finish_reason content_filter)');
      const content = choice.message?.content;
      if (typeof content !== 'string') throw new RewardError('MODEL_UNAVAILABLE', `the judge at ${this.settings.base_url} answered with no text`);
      const reply: JudgeReply = { content, cached: false };
      const tokens = choice.logprobs?.content;
      if (Array.isArray(tokens) && tokens.length > 0) {
        reply.logprobs = tokens.map((token) => ({ token: token.token, logprob: token.logprob, top: (token.top_logprobs ?? []).map((top) => ({ token: top.token, logprob: top.logprob })) }));
      }
      return reply;
    } finally {
      this.semaphore.release();
    }
  }
}
