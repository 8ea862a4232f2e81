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

/** The first uid this process hands to sandboxes, `100000 + (pid mod 30000) * 8192`; its users are the {@link sandboxUidCount} from there. */
export function sandboxUidBase(): number {
  return 100000 + (process.pid % 30000) * slotIdSpace * usersPerSlot;
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
