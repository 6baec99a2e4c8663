import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTables, type LocalDynamo } from '../src/local/dynalite.js';

/*
 * dynalite in a process of its own, for the trigger benchmarks' second figure: with DynamoDB
 * in the same process, every event's latency and CPU time include the emulator's own work (HTTP
 * server, request validation, expression parsing, LevelDB in memory), which real DynamoDB does on
 * someone else's machine. Out of process, the bench process's CPU time is the trigger's own.
 */

const SERVER = fileURLToPath(new URL('./dynalite-server.mjs', import.meta.url));

export async function startDynaliteProcess(): Promise<Omit<LocalDynamo, 'inProcessHandler'>> {
  // Plain node: the server is JavaScript, it needs no TypeScript loader (and no inherited --import).
  const child = fork(SERVER, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite process exited with ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await createTables(endpoint);
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
