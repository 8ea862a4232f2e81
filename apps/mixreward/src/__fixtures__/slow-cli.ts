// The CLI with one extra reward, `test.sleep`, that runs each "slow" rollout in a child process
// (as a sandbox does) and kills it when the run is cancelled. Used by cli-faults.test.ts to send
// a real SIGTERM to a real `mixreward score` process and count the processes left behind.
import { spawn } from 'node:child_process';
import { createRegistry, definePlugin, ok, perRollout, plugins, RewardError } from '@mixreward/core';
import { z } from 'zod';
import { main } from '../cli.js';

const sleepSeconds = process.env.SLOW_SLEEP_SECONDS ?? '600';

const sleepPlugin = definePlugin({
  name: 'test.sleep',
  description: 'Scores 1; a "slow" completion first waits on a child process until the run is cancelled.',
  options: z.object({}).strict(),
  create() {
    return perRollout((rollout, context) => {
      if (rollout.completion !== 'slow') return ok(1);
      return new Promise((resolve, reject) => {
        const child = spawn('sleep', [sleepSeconds], { stdio: 'ignore' });
        process.stderr.write(`slow rollout started: pid ${child.pid}\n`);
        const stop = () => {
          child.kill('SIGKILL');
          reject(new RewardError('ABORTED', 'the run was cancelled'));
        };
        if (context.signal.aborted) stop();
        else context.signal.addEventListener('abort', stop, { once: true });
        child.on('exit', () => resolve(ok(1)));
      });
    });
  },
});

process.exitCode = await main(process.argv.slice(2), undefined, createRegistry([...plugins, sleepPlugin]));
