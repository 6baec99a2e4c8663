import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

/** Runs the `lifeboat` command line in-process, collecting its output and exit code. */
export async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'lifeboat', ...args], (t) => void (stdout += t), (t) => void (stderr += t));
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'lifeboat-cli-'));

/** Writes a scratch file (a changed configuration) and returns its path. */
export function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}
