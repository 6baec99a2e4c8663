import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which state machine state the code running now belongs to. The local runner sets it around each
 * Task, so fault injection can hit "the ShiftTraffic step" even while parallel branches interleave.
 */
const storage = new AsyncLocalStorage<{ state: string }>();

export function runInState<T>(state: string, work: () => Promise<T>): Promise<T> {
  return storage.run({ state }, work);
}

export function currentState(): string | undefined {
  return storage.getStore()?.state;
}
