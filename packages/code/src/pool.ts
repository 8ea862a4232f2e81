import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { RewardError } from '@mixreward/core';
import type { RunIdentity } from './exec.js';

/** One execution slot of a pool: at most one program runs in a slot at a time. */
export interface PoolSlot {
  /** Process-wide unique slot number (>= 0); picks the sandbox users of the slot. */
  id: number;
  /** How many times this slot id was handed out before (>= 0); rotates the slot's sandbox user. */
  turn: number;
  /** Give the slot back. Safe to call twice. */
  release(): void;
}

/** A bounded set of execution slots shared by every rollout that uses it. */
export interface ExecutionPool {
  /** Number of slots (>= 1): programs that may run at once. */
  readonly size: number;
  /** Wait for a free slot. Rejects with `RewardError('ABORTED')` when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<PoolSlot>;
  /** Run `task` in a slot and release the slot after it settles. */
  use<T>(task: (slot: PoolSlot) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

// Slot ids are unique within the process so that every slot has its own sandbox uids.
let nextSlotId = 0;
const slotIdSpace = 512;
const usersPerSlot = 16;
const turns = new Map<number, number>();

/**
 * Make a pool with `size` slots.
 * @param size slots, >= 1; default: the machine's available parallelism (cores)
 */
export function createExecutionPool(size: number = availableParallelism()): ExecutionPool {
  if (!Number.isInteger(size) || size < 1) throw new RewardError('INVALID_OPTIONS', `pool size must be an integer >= 1, got ${size}`);
  const free: number[] = [];
  for (let index = 0; index < size; index++) free.push(nextSlotId++ % slotIdSpace);
  const waiting: Array<(id: number) => void> = [];

  const give = (id: number) => {
    const next = waiting.shift();
    if (next) next(id);
    else free.push(id);
  };
  const pool: ExecutionPool = {
    size,
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(new RewardError('ABORTED', 'cancelled while waiting for an execution slot'));
      const wrap = (id: number): PoolSlot => {
        let released = false;
        const turn = turns.get(id) ?? 0;
        turns.set(id, turn + 1);
        return {
          id,
          turn,
          release() {
            if (released) return;
            released = true;
            give(id);
          },
        };
      };
      const id = free.shift();
      if (id !== undefined) return Promise.resolve(wrap(id));
      return new Promise<PoolSlot>((resolve, reject) => {
        const onSlot = (slotId: number) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(wrap(slotId));
        };
        const onAbort = () => {
          const position = waiting.indexOf(onSlot);
          if (position >= 0) waiting.splice(position, 1);
          reject(new RewardError('ABORTED', 'cancelled while waiting for an execution slot'));
        };
        waiting.push(onSlot);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async use(task, signal) {
      const slot = await pool.acquire(signal);
      try {
        return await task(slot);
      } finally {
        slot.release();
      }
    },
  };
  return pool;
}

let shared: ExecutionPool | undefined;

/** The process-wide pool sized to the machine (available parallelism), shared by every scorer that does not bring its own. */
export function sharedExecutionPool(): ExecutionPool {
  shared ??= createExecutionPool();
  return shared;
}

/** How many uids one process hands to sandboxes (512 slot ids × 16 turns). */
export const sandboxUidCount = slotIdSpace * usersPerSlot;

let uidBase: number | undefined;

/** Uids of the processes running now (from /proc). */
function uidsInUse(): number[] {
  const uids: number[] = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const match = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
        if (match) uids.push(Number(match[1]));
      } catch {
        // gone
      }
    }
  } catch {
    // no /proc
  }
  return uids;
}

/**
 * The first uid this process hands to sandboxes: `100000 + k * 8192` for the first block
 * `k = (pid + j * 7919) mod 30000` (j = 0, 1, …) that no running process uses, chosen once, so
 * that concurrent mixreward processes do not share sandbox users. Its users are the
 * {@link sandboxUidCount} from there.
 */
export function sandboxUidBase(): number {
  if (uidBase !== undefined) return uidBase;
  const used = uidsInUse();
  const blocks = 30000;
  const size = slotIdSpace * usersPerSlot;
  let chosen = process.pid % blocks;
  for (let attempt = 0; attempt < 64; attempt++) {
    const block = (process.pid + attempt * 7919) % blocks;
    const start = 100000 + block * size;
    if (!used.some((uid) => uid >= start && uid < start + size)) {
      chosen = block;
      break;
    }
  }
  uidBase = 100000 + chosen * size;
  return uidBase;
}

/**
 * The user a slot's programs run as. When mixreward runs as root, every slot gets its own unused
 * uids (16 per slot, rotated per turn, above {@link sandboxUidBase}), so that sandboxed code is
 * never root, RLIMIT_NPROC is enforced (the kernel exempts root), leftovers can be swept by uid,
 * and zombies an init that does not reap leaves behind never count against a later run's process
 * limit. Otherwise undefined: programs run as the current user.
 * @param slotId the slot's id (>= 0)
 * @param turn the slot's turn (>= 0)
 */
export function slotIdentity(slotId: number, turn = 0): RunIdentity | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const uid = sandboxUidBase() + (slotId % slotIdSpace) * usersPerSlot + (turn % usersPerSlot);
  return { uid, gid: uid };
}
