import type { LifeboatConfig } from '../domain/config.js';
import { formatIssues } from '../domain/errors.js';
import { checkLive, type LiveCheckResult } from '../planning/live-check.js';
import { EXIT } from './exit-codes.js';
import { withPorts } from './ports.js';
import { colours, wantsColour } from './style.js';

export interface ValidateOptions {
  live?: boolean;
  local?: boolean;
  json?: boolean;
}

/**
 * `lifeboat validate`: the file is valid by the time this runs (an invalid one exits 2 before);
 * with `--live`, every referenced resource is checked too, and any problem exits 1 (the file is
 * fine, the world does not match it), each problem on its own line with its configuration path.
 */
export async function validateCommand(file: string, config: LifeboatConfig, options: ValidateOptions, out: (text: string) => void): Promise<number> {
  const apps = config.apps.map((a) => a.name);
  let live: LiveCheckResult | undefined;
  if (options.live) live = await withPorts(config, options.local, (ports) => checkLive(ports, config));
  const ok = !live || live.problems.length === 0;
  if (options.json) {
    out(`${JSON.stringify({ valid: true, file, apps, ...(live ? { live: { ok, target: options.local ? 'local' : 'aws', checked: live.checked, problems: live.problems } } : {}) })}\n`);
    return ok ? EXIT.ok : EXIT.failed;
  }
  const c = colours(wantsColour());
  out(`${file}: valid (${apps.length} apps: ${apps.join(', ')})\n`);
  if (live) {
    const where = options.local ? 'the local world' : 'AWS';
    if (ok) out(`${c.green('live')}: ${live.checked} resources checked against ${where}, all present and as configured\n`);
    else out(`${c.red('live')}: ${live.problems.length} problem${live.problems.length === 1 ? '' : 's'} against ${where} (${live.checked} resources checked):\n${formatIssues(live.problems).replace(/^/gm, '  ')}\n`);
  }
  return ok ? EXIT.ok : EXIT.failed;
}
