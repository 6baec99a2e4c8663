import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);

/** serverless.yml as data; CloudFormation tags (!Sub, !Ref, !GetAtt) are read as plain strings. */
export function readServerlessYml(): { functions: Record<string, { handler: string }> } & Record<string, unknown> {
  return parse(readFileSync('serverless.yml', 'utf8'), { logLevel: 'error' });
}

/** A CloudFormation template as `serverless package` writes it. */
export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, any>; Condition?: string; DeletionPolicy?: string; DependsOn?: unknown }>;
  Outputs?: Record<string, unknown>;
}

export interface Packaged {
  region: string;
  /** Where the zips and templates are. */
  dir: string;
  template: Template;
  /** The template file's text, for searching. */
  text: string;
}

const { packageRegion } = require('../../serverless/package.cjs') as {
  packageRegion: (options: { region: string; stage: string; out: string; env?: NodeJS.ProcessEnv; stdio?: 'pipe' }) => { dir: string; seconds: number };
};

/**
 * `serverless package` offline (osls, dummy credentials), exactly as `npm run package -- --region R`
 * does it, into a scratch directory: the CloudFormation template `serverless deploy` would ship for
 * that region. About 20 s per region on a small machine, so a test file packages once, in
 * `beforeAll`, and shares the result; two files packaging at once would share serverless-esbuild's
 * `.esbuild` work directory, so only test/deploy/package.test.ts does it.
 */
export function packageService(regions: string[], options: { stage?: string; env?: NodeJS.ProcessEnv } = {}): { packages: Map<string, Packaged>; cleanUp: () => void; seconds: Record<string, number> } {
  const out = mkdtempSync(join(tmpdir(), 'lifeboat-package-'));
  const packages = new Map<string, Packaged>();
  const seconds: Record<string, number> = {};
  for (const region of regions) {
    const result = packageRegion({ region, stage: options.stage ?? 'test', out, env: options.env ?? process.env, stdio: 'pipe' });
    const text = readFileSync(join(result.dir, 'cloudformation-template-update-stack.json'), 'utf8');
    packages.set(region, { region, dir: result.dir, template: JSON.parse(text) as Template, text });
    seconds[region] = result.seconds;
  }
  return { packages, seconds, cleanUp: () => rmSync(out, { recursive: true, force: true }) };
}
