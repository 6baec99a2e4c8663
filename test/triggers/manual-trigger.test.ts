import { describe, expect, it } from '@jest/globals';
import { InputValidationError } from '../../src/domain/errors.js';
import { invoke, withWorld } from '../support/world.js';

const apiEvent = (body: unknown, userArn: string | null = 'arn:aws:iam::000000000000:user/alice') => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
  requestContext: { identity: { userArn } },
});

describe('the manual trigger', () => {
  it('runs a drill an operator asked for, to the target region they named, recording who asked and why', async () => {
    await withWorld(async (world) => {
      // arrange: the request goes to the target region's stack
      world.actIn('eu-central-1');

      // act
      const result = (await invoke('manualTrigger', { actor: 'alice', app: 'catalog', to: 'eu-central-1', mode: 'drill', reason: 'quarterly DR drill', requestId: 'drill-2026-q1' })) as { executionName: string };
      const [outcome] = await world.sfn.settle();

      // assert
      expect(result.executionName).toMatch(/^drill-catalog-eu-central-1-[0-9a-f]{10}$/);
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(world.weights('catalog')).toEqual({ 'catalog-eu-west-1': 0, 'catalog-eu-central-1': 100 });
      expect((await world.auditTrail(result.executionName)).find((e) => e.step === 'ShiftTraffic')).toMatchObject({ actor: 'user:alice', outcome: 'ChangeRequested' });
      expect(world.slack.messages[0]?.text).toContain('(drill)');
    });
  });

  it('starts one execution for a retried request with the same request id', async () => {
    await withWorld(async (world) => {
      world.actIn('eu-central-1');
      const request = { actor: 'alice', app: 'catalog', to: 'eu-central-1', mode: 'drill', reason: 'drill', requestId: 'same' };
      await invoke('manualTrigger', request);
      await world.sfn.settle();
      const again = (await invoke('manualTrigger', request)) as { alreadyStarted: boolean };
      expect(again.alreadyStarted).toBe(true);
      expect(world.sfn.list()).toHaveLength(1);
    });
  });

  it.each([
    [{ app: 'nope', to: 'eu-central-1', mode: 'drill', reason: 'drill' }, 'app: unknown app "nope"'],
    [{ app: 'catalog', to: 'mars-north-1', mode: 'drill', reason: 'drill' }, 'to: "mars-north-1" is not a region of catalog'],
    [{ app: 'catalog', to: 'eu-central-1', from: 'eu-central-1', mode: 'drill', reason: 'drill' }, 'to: must differ from from'],
    [{ app: 'catalog', to: 'eu-central-1', mode: 'party', reason: 'drill' }, 'mode: '],
    [{ app: 'catalog', to: 'eu-central-1', mode: 'drill' }, 'reason: required'],
    [{ app: 'catalog', to: 'eu-central-1', mode: 'drill', reason: 'x', extra: 1 }, 'Unrecognized key: "extra"'],
  ])('rejects %j naming the field, and starts nothing', async (body, message) => {
    await withWorld(async (world) => {
      const failure = invoke('manualTrigger', { actor: 'alice', ...body });
      await expect(failure).rejects.toThrow(InputValidationError);
      await expect(invoke('manualTrigger', { actor: 'alice', ...body })).rejects.toThrow(message);
      expect(world.sfn.list()).toHaveLength(0);
    });
  });

  it('through API Gateway takes the actor from the signed IAM identity and answers 202, 400 or 403', async () => {
    await withWorld(async (world) => {
      const ok = (await invoke('manualTrigger', apiEvent({ app: 'payments', to: 'us-west-2', mode: 'failover', reason: 'us-east-1 degraded' }))) as { statusCode: number; body: string };
      expect(ok.statusCode).toBe(202);
      expect(JSON.parse(ok.body)).toMatchObject({ app: 'payments', from: 'us-east-1', to: 'us-west-2', mode: 'failover' });
      expect((world.sfn.list()[0]!.input as { trigger: { actor: string } }).trigger.actor).toBe('arn:aws:iam::000000000000:user/alice');

      const spoofed = (await invoke('manualTrigger', apiEvent({ app: 'payments', to: 'us-west-2', mode: 'failover', reason: 'x y z', actor: 'mallory' }))) as { statusCode: number; body: string };
      expect(spoofed.statusCode).toBe(400);
      expect(JSON.parse(spoofed.body).issues).toEqual([{ path: '', message: 'Unrecognized key: "actor"' }]);

      expect(((await invoke('manualTrigger', apiEvent('{not json'))) as { statusCode: number }).statusCode).toBe(400);
      expect(((await invoke('manualTrigger', apiEvent({}, null))) as { statusCode: number }).statusCode).toBe(403);
      await world.sfn.settle();
      expect(world.sfn.list()).toHaveLength(1);
    });
  });
});
