// A local stand-in for an OpenAI-compatible server: node:http on 127.0.0.1, a free port, speaking
// POST /v1/chat/completions with scripted replies (text, logprobs, 429 + Retry-After, 500, slow
// replies, broken JSON). Used by the tests and the bench; it counts every request it receives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat request as the server received it. */
export interface ReceivedRequest {
  model: string;
  messages: { role: string; content: string }[];
  max_tokens?: number;
  temperature?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  authorization: string | undefined;
}

/** What the server answers one request with. */
export type Script =
  | { content: string; logprobs?: { token: string; logprob: number; top: { token: string; logprob: number }[] }[]; refusal?: string; delay_ms?: number }
  | { status: number; headers?: Record<string, string>; body?: string; delay_ms?: number }
  | { raw: string; delay_ms?: number };

/** A running stand-in. */
export interface StandIn {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  /** Every chat request received, in order. */
  received: ReceivedRequest[];
  /** The most requests the server held at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/**
 * Start a stand-in whose answer to each request comes from `script(request, index)` (index counts
 * from 0 over every request received).
 */
export async function startStandIn(script: (request: ReceivedRequest, index: number) => Script): Promise<StandIn> {
  const received: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let most = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedRequest;
      body.authorization = request.headers.authorization;
      const index = received.length;
      received.push(body);
      inFlight++;
      most = Math.max(most, inFlight);
      const answer = script(body, index);
      const send = (): void => {
        inFlight--;
        if (response.destroyed) return;
        if ('raw' in answer) {
          response.writeHead(200, { 'content-type': 'application/json' }).end(answer.raw);
        } else if ('status' in answer) {
          response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? JSON.stringify({ error: { message: `scripted ${answer.status}`, type: 'server_error' } }));
        } else {
          const choice = {
            index: 0,
            finish_reason: 'stop',
            message: { role: 'assistant', content: answer.refusal ? null : answer.content, refusal: answer.refusal ?? null },
            logprobs: answer.logprobs ? { content: answer.logprobs.map((token) => ({ token: token.token, logprob: token.logprob, bytes: null, top_logprobs: token.top.map((top) => ({ ...top, bytes: null })) })) } : null,
          };
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ id: `c-${index}`, object: 'chat.completion', created: 0, model: body.model, choices: [choice], usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } }));
        }
      };
      if (answer.delay_ms) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delay_ms);
        timers.add(timer);
      }
      else send();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    maxInFlight: () => most,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A one-token yes/no reply with top logprobs: `pYes` of the mass on "yes", the rest on "no". */
export function tokenVerdict(word: 'yes' | 'no', pYes: number): Script {
  const yes = { token: 'yes', logprob: Math.log(pYes) };
  const no = { token: 'no', logprob: Math.log(1 - pYes) };
  return { content: word, logprobs: [{ token: word, logprob: word === 'yes' ? yes.logprob : no.logprob, top: [yes, no] }] };
}
