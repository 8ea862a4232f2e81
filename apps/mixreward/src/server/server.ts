import { createHash, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry as MetricsRegistry } from 'prom-client';
import { z } from 'zod';
import { errorMessage, loadConfig, type Composer, type Logger, type Registry, type RewardResult, type Rollout, type ValidatedConfig } from '@mixreward/core';
import { composerFor } from '../score.js';
import { createBatchQueue, type BatchQueue } from './batch-queue.js';
import { explainResult } from './explain.js';
import { faultAnswer } from './faults.js';
import { completionFromQuery, defaultEosTokens, openRlhfBody, rolloutFieldsFromLabel } from './openrlhf.js';

/** Settings of the reward server (`mixreward serve`). */
export interface ServerOptions {
  /** The Mixed-Reward config file (YAML or JSON). Reloaded on SIGHUP / {@link RewardServer.reload}. */
  configPath: string;
  /** Rewards the config may use. */
  registry: Registry;
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** TCP port, 0-65535 (0: any free port). Default 8000. */
  port?: number;
  /** Largest request body in bytes (>= 1). Default 64 MiB. */
  maxBodyBytes?: number;
  /** Largest number of rollouts in one request (>= 1). Default 4096. */
  maxRequestRollouts?: number;
  /** Rollouts per composed batch across requests (>= 1). Default 256. */
  maxBatch?: number;
  /** Longest wait in ms (>= 0) before a partial batch is scored. Default 5. */
  maxWaitMs?: number;
  /** Rollouts accepted but not finished (>= 1); past it requests get 429 with `Retry-After`. Default 16384. */
  maxPending?: number;
  /** Per-request deadline in ms (> 0); past it the request gets 503. Default 170,000 (under OpenRLHF's 180 s). */
  requestTimeoutMs?: number;
  /** A bearer token every request except `/health` must send (`Authorization: Bearer …`). */
  token?: string;
  /** The reward OpenRLHF and verl get for a `skipped` rollout. Default: the config's `settings.on_skip`, else 0. */
  onSkip?: number;
  /** End-of-sequence tokens stripped from OpenRLHF queries. Default {@link defaultEosTokens}. */
  eosTokens?: readonly string[];
  /** Folder that relative media paths in rollouts resolve against. Default: the working directory. */
  mediaDir?: string;
  /** Per-rollout time limit in ms (> 0), overriding the config's `settings.timeout_ms`. */
  timeoutMs?: number;
  /** Batches in flight per component (>= 1), overriding the config's `settings.concurrency`. */
  concurrency?: number;
  /** Where the server reports requests, reloads and faults. Default: silent. */
  logger?: Logger;
}

/** A running reward server. */
export interface RewardServer {
  /** The Fastify instance (for `inject` in tests). */
  readonly app: FastifyInstance;
  /** The URL it listens on, once {@link RewardServer.listen} resolved. */
  readonly url: string;
  /** Start listening. */
  listen(): Promise<string>;
  /** Load the config file again and use it for every batch from now on; in-flight work finishes on the old one. */
  reload(): Promise<void>;
  /** Stop accepting requests, finish in-flight work, dispose every scorer. Safe to call twice. */
  close(): Promise<void>;
}

const rolloutsBody = z.object({ rollouts: z.array(z.record(z.string(), z.unknown())) });
const openRlhfRequest = z.object({
  query: z.array(z.string()),
  prompts: z.array(z.string()).optional(),
  labels: z.array(z.unknown()).optional(),
});

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

interface Generation {
  config: ValidatedConfig;
  composer: Composer;
  inFlight: number;
  retired: boolean;
}

/**
 * Make the reward server: `POST /v1/score`, OpenRLHF's `POST /get_reward`, `GET /health`,
 * `GET /metrics` (Prometheus), `GET /v1/config`, `GET /v1/rewards`. Concurrent requests are
 * gathered into shared batches, so a model reward sees batches even when OpenRLHF sends one sample
 * per request. A fault is never a reward: an infrastructure failure answers 503 (a retry may
 * help), an unusable rollout 422.
 *
 * @param options config, registry and limits
 */
export async function createRewardServer(options: ServerOptions): Promise<RewardServer> {
  const logger = options.logger ?? { info: () => undefined, warn: () => undefined };
  const mediaDir = resolve(options.mediaDir ?? process.cwd());
  const maxRequestRollouts = options.maxRequestRollouts ?? 4096;
  const maxPending = options.maxPending ?? 16_384;
  const requestTimeoutMs = options.requestTimeoutMs ?? 170_000;
  const eosTokens = options.eosTokens ?? defaultEosTokens;
  const tokenDigest = options.token === undefined ? undefined : createHash('sha256').update(options.token).digest();

  const makeGeneration = async (): Promise<Generation> => {
    const config = await loadConfig(options.configPath, options.registry);
    const composer = composerFor(config, options.registry, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      logger,
      mediaDir,
    });
    return { config, composer, inFlight: 0, retired: false };
  };
  let current = await makeGeneration();
  const onSkipOf = () => options.onSkip ?? configOnSkip(current.config) ?? 0;

  const metrics = new MetricsRegistry();
  const running = new Gauge({ name: 'mixreward_requests_running', help: 'Requests being handled.', registers: [metrics] });
  const waiting = new Gauge({
    name: 'mixreward_rollouts_waiting',
    help: 'Rollouts waiting for a batch.',
    registers: [metrics],
    collect() {
      this.set(queue.waiting);
    },
  });
  const pending = new Gauge({
    name: 'mixreward_rollouts_running',
    help: 'Rollouts inside batches being scored.',
    registers: [metrics],
    collect() {
      this.set(queue.running);
    },
  });
  const requestSeconds = new Histogram({ name: 'mixreward_request_duration_seconds', help: 'Request latency by endpoint.', labelNames: ['endpoint', 'code'], registers: [metrics], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 180] });
  const batchSeconds = new Histogram({ name: 'mixreward_batch_duration_seconds', help: 'Time to score one composed batch (every component of the config).', labelNames: ['reward'], registers: [metrics], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 180] });
  const batchSize = new Histogram({ name: 'mixreward_batch_size', help: 'Rollouts per composed batch.', registers: [metrics], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096] });
  const results = new Counter({ name: 'mixreward_results_total', help: 'Scored rollouts by reward (the mix or a component) and status.', labelNames: ['reward', 'status'], registers: [metrics] });
  void waiting;
  void pending;

  const queue: BatchQueue = createBatchQueue(
    () => {
      const generation = current;
      return async (rollouts) => {
        generation.inFlight++;
        const stop = batchSeconds.startTimer({ reward: 'mix' });
        try {
          return await generation.composer.score(rollouts);
        } finally {
          stop();
          generation.inFlight--;
          if (generation.retired && generation.inFlight === 0) void generation.composer.dispose();
        }
      };
    },
    { ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}), ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}), onBatch: (size) => batchSize.observe(size) },
  );

  let shuttingDown = false;
  let closed: Promise<void> | undefined;
  let url = '';

  const app = Fastify({ bodyLimit: options.maxBodyBytes ?? 64 * 1024 * 1024, logger: false, return503OnClosing: true, ajv: { customOptions: { coerceTypes: false } } });

  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health' || tokenDigest === undefined) return;
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    const digest = createHash('sha256').update(given).digest();
    if (!timingSafeEqual(digest, tokenDigest)) {
      await reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'missing or wrong bearer token (Authorization: Bearer …)' });
    }
  });

  const score = async (rollouts: unknown[], reply: FastifyReply): Promise<RewardResult[] | undefined> => {
    if (rollouts.length > maxRequestRollouts) {
      await reply.code(413).send({ error: `a request holds at most ${maxRequestRollouts} rollouts, got ${rollouts.length}; split it` });
      return undefined;
    }
    if (queue.waiting + queue.running + rollouts.length > maxPending) {
      await reply.code(429).header('Retry-After', '1').send({ error: `server busy: ${queue.waiting + queue.running} rollouts pending (limit ${maxPending}); retry after 1 s` });
      return undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolveDeadline) => {
      timer = setTimeout(() => resolveDeadline('deadline'), requestTimeoutMs);
    });
    try {
      const outcome = await Promise.race([queue.submit(rollouts), deadline]);
      if (outcome === 'deadline') {
        await reply.code(503).header('Retry-After', '1').send({ error: `the request passed its deadline of ${requestTimeoutMs} ms` });
        return undefined;
      }
      for (const result of outcome) results.inc({ reward: 'mix', status: result.status });
      for (const result of outcome) {
        for (const [name, value] of Object.entries(result.components ?? {})) results.inc({ reward: name, status: typeof value === 'number' ? 'ok' : 'none' });
      }
      return outcome;
    } catch (error) {
      await reply.code(503).send({ error: `scoring failed: ${errorMessage(error)}` });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  const timed = <Body>(endpoint: string, handler: (request: FastifyRequest<{ Body: Body; Querystring: Record<string, string> }>, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest<{ Body: Body; Querystring: Record<string, string> }>, reply: FastifyReply) => {
      running.inc();
      const started = process.hrtime.bigint();
      try {
        return await handler(request, reply);
      } finally {
        running.dec();
        requestSeconds.observe({ endpoint, code: String(reply.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
      }
    };

  app.post<{ Body: z.infer<typeof rolloutsBody>; Querystring: Record<string, string> }>(
    '/v1/score',
    { schema: { body: jsonSchema(rolloutsBody) } },
    timed<z.infer<typeof rolloutsBody>>('/v1/score', async (request, reply) => {
      const rollouts = request.body.rollouts;
      const scored = await score(rollouts, reply);
      if (!scored) return reply;
      const fault = faultAnswer(scored);
      const explain = request.query.explain === '1' || request.query.explain === 'true';
      const records = scored.map((result, index) => {
        const rollout = rollouts[index] as Record<string, unknown>;
        const record: Record<string, unknown> = { ...rollout, ...result };
        if (explain) record.explain = explainResult(current.config.config, result, typeof rollout.task === 'string' ? rollout.task : undefined);
        return record;
      });
      // An infrastructure fault answers 503 with every result, so a client retries or raises; a
      // fault of a rollout itself stays in its record (status error) with 200.
      if (fault?.status === 503) return reply.code(503).header('Retry-After', '1').send({ error: fault.reason, results: records });
      return reply.send({ results: records });
    }),
  );

  app.post<{ Body: z.infer<typeof openRlhfRequest>; Querystring: Record<string, string> }>(
    '/get_reward',
    { schema: { body: jsonSchema(openRlhfRequest) } },
    timed<z.infer<typeof openRlhfRequest>>('/get_reward', async (request, reply) => {
      const { query, prompts, labels } = request.body;
      if (query.length === 0) return reply.send({ rewards: [], scores: [], extra_logs: {} });
      const rollouts: Rollout[] = query.map((text, index) => {
        const prompt = prompts?.[index];
        const { completion } = completionFromQuery(text, prompt, eosTokens);
        const rollout: Rollout = { completion, ...rolloutFieldsFromLabel(labels?.[index]) };
        if (prompt !== undefined) rollout.prompt = prompt;
        return rollout;
      });
      const scored = await score(rollouts, reply);
      if (!scored) return reply;
      const fault = faultAnswer(scored);
      if (fault) {
        logger.warn(`/get_reward: ${fault.reason}`);
        if (fault.status === 503) reply.header('Retry-After', '1');
        return reply.code(fault.status).send({ error: fault.reason });
      }
      return reply.send(openRlhfBody(scored, [...current.config.components.keys()], onSkipOf()));
    }),
  );

  app.get('/health', async (_request, reply) => {
    if (shuttingDown) return reply.code(503).send({ status: 'shutting down' });
    return reply.send({ status: 'ok', components: [...current.config.components.keys()] });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.header('Content-Type', metrics.contentType).send(await metrics.metrics());
  });

  app.get('/v1/config', async (_request, reply) => {
    return reply.send({ config: current.config.config, components: [...current.config.components.keys()], on_skip: onSkipOf() });
  });

  app.get('/v1/rewards', async (_request, reply) => {
    return reply.send({
      rewards: options.registry.list().map((plugin) => ({ name: plugin.name, description: plugin.description, follows: plugin.follows ?? null, reference: plugin.reference ?? null })),
    });
  });

  const server: RewardServer = {
    app,
    get url() {
      return url;
    },
    async listen() {
      const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8000 });
      url = address;
      return address;
    },
    async reload() {
      const next = await makeGeneration();
      const previous = current;
      current = next;
      previous.retired = true;
      if (previous.inFlight === 0) await previous.composer.dispose();
      logger.info(`reloaded ${options.configPath}`);
    },
    close() {
      closed ??= (async () => {
        shuttingDown = true;
        await app.close();
        await queue.drain();
        await current.composer.dispose();
      })();
      return closed;
    },
  };
  return server;
}

function configOnSkip(config: ValidatedConfig): number | undefined {
  const value = (config.config.settings as Record<string, unknown> | undefined)?.on_skip;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

