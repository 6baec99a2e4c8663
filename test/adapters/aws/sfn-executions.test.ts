import { describe, expect, it } from '@jest/globals';
import * as sfn from '@aws-sdk/client-sfn';
import type { StartExecutionInput, StartExecutionOutput } from '@aws-sdk/client-sfn';
import { ResourceNotFoundError, ThrottledError } from '../../../src/domain/errors.js';
import { SfnExecutions, executionArnFor } from '../../../src/adapters/aws/sfn-executions.js';
import { AwsFault } from '../../../src/local/aws/aws-fault.js';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { exceptionCatalog } from '../../../src/local/aws/exception-catalog.js';
import { FakeAwsService } from '../../../src/local/aws/fake-service.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:lifeboat-failover';

/** Just enough of Step Functions for StartExecution's naming rules (the real fake is the lead's). */
class StartExecutionFake extends FakeAwsService {
  readonly fakeName = 'StartExecutionFake';
  readonly exceptions = exceptionCatalog(sfn, sfn.SFNServiceException);
  protected readonly operations = ['StartExecution'];
  protected readonly injectableFaults = { ThrottlingException: { httpStatusCode: 400, message: 'Rate exceeded' } };
  readonly executions = new Map<string, { input: string; running: boolean }>();

  StartExecution(input: StartExecutionInput): StartExecutionOutput {
    if (input.stateMachineArn !== MACHINE) throw new AwsFault('StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    const executionArn = executionArnFor(MACHINE, input.name ?? '');
    const existing = this.executions.get(executionArn);
    // "Idempotent for STANDARD workflows": same name and input while running returns the same answer.
    if (existing && !(existing.running && existing.input === input.input)) {
      throw new AwsFault('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.executions.set(executionArn, { input: input.input ?? '{}', running: true });
    return { executionArn, startDate: this.clock.now() };
  }
}

function setup() {
  const fake = new StartExecutionFake(new VirtualClock());
  const client = new sfn.SFNClient({});
  attachFake(client, fake);
  return { fake, executions: new SfnExecutions(client) };
}

describe('SfnExecutions.start', () => {
  it('starts an execution under the given name with the input as JSON', async () => {
    const { fake, executions } = setup();
    const started = await executions.start(MACHINE, 'incident-42', { app: 'shop', target: 'us-east-1' });
    expect(started).toEqual({ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:lifeboat-failover:incident-42', alreadyStarted: false });
    expect(fake.executions.get(started.executionArn)?.input).toBe('{"app":"shop","target":"us-east-1"}');
  });

  it('reports an execution that already exists under that name as already started', async () => {
    const { fake, executions } = setup();
    await executions.start(MACHINE, 'incident-42', { attempt: 1 });
    const again = await executions.start(MACHINE, 'incident-42', { attempt: 2 });
    expect(again).toEqual({ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:lifeboat-failover:incident-42', alreadyStarted: true });
    expect(fake.executions.size).toBe(1);
  });

  it('maps other failures to domain errors', async () => {
    const { fake, executions } = setup();
    await expect(executions.start(`${MACHINE}-nope`, 'incident-42', {})).rejects.toBeInstanceOf(ResourceNotFoundError);
    fake.failNext('StartExecution', 'ThrottlingException');
    await expect(executions.start(MACHINE, 'incident-43', {})).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe('executionArnFor', () => {
  it.each([
    [MACHINE, 'arn:aws:states:eu-west-1:123456789012:execution:lifeboat-failover:run-1'],
    [`${MACHINE}:live`, 'arn:aws:states:eu-west-1:123456789012:execution:lifeboat-failover:run-1'],
    ['arn:aws-cn:states:cn-north-1:123456789012:stateMachine:m', 'arn:aws-cn:states:cn-north-1:123456789012:execution:m:run-1'],
  ])('derives the execution ARN from %s', (machine, expected) => {
    expect(executionArnFor(machine, 'run-1')).toBe(expected);
  });

  it('refuses something that is not a state machine ARN', () => {
    expect(() => executionArnFor('arn:aws:lambda:eu-west-1:123456789012:function:f', 'run-1')).toThrow(RangeError);
  });
});
