import { AsyncLocalStorage } from 'node:async_hooks';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AttachableClient } from './aws/attach-fake.js';

/*
 * Which IAM actions each deployed function actually needs: in the embedded runtime every SDK call
 * is recorded as `service:Operation` under the function (serverless.yml name) whose invocation made
 * it. test/deploy/least-privilege.e2e.test.ts compares that with the roles serverless/roles.cjs
 * grants, so a code change that starts calling something new fails before it fails in AWS.
 */

const running = new AsyncLocalStorage<string>();
const calls = new Map<string, Set<string>>();

/** Runs one invocation of `fn`; every SDK call inside it is recorded under its name. */
export function runAsFunction<T>(fn: string, work: () => Promise<T>): Promise<T> {
  return running.run(fn, work);
}

/** Every action each function was seen calling since the last reset. */
export function recordedActions(): Map<string, Set<string>> {
  return new Map([...calls].map(([fn, actions]) => [fn, new Set(actions)]));
}

export function resetRecordedActions(): void {
  calls.clear();
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- only used with instanceof
const PREFIXES: [Function, string][] = [
  [Route53Client, 'route53'],
  [EKSClient, 'eks'],
  [CloudWatchClient, 'cloudwatch'],
  [SFNClient, 'states'],
  [SecretsManagerClient, 'secretsmanager'],
  [SSMClient, 'ssm'],
  [DynamoDBClient, 'dynamodb'],
];

/** Adds the recorder to a client the runtime made (before any fake answers the call). */
export function recordIamActions(client: AttachableClient): void {
  const prefix = PREFIXES.find(([ClientClass]) => client instanceof ClientClass)?.[1];
  if (!prefix) return;
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const fn = running.getStore();
      if (fn) {
        const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const action = `${prefix}:${command}`;
        calls.set(fn, (calls.get(fn) ?? new Set()).add(action));
      }
      return next(args);
    }) as never,
    { step: 'initialize', priority: 'high', name: 'lifeboatIamRecorder', override: true } as never,
  );
}
