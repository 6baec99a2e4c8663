import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** serverless.yml as data; CloudFormation tags (!Sub, !Ref, !GetAtt) are read as plain strings. */
export function readServerlessYml(): { functions: Record<string, { handler: string }> } & Record<string, unknown> {
  return parse(readFileSync('serverless.yml', 'utf8'), { logLevel: 'error' });
}
