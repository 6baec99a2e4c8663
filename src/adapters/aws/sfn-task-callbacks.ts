import { InvalidToken, SendTaskFailureCommand, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import type { CallbackResult, TaskCallbacks } from '../../ports/approvals.js';
import { toDomainError } from './errors.js';

/**
 * SendTaskSuccess / SendTaskFailure (port `TaskCallbacks`). A task that is no longer waiting
 * (`TaskTimedOut`: expired or already answered; `TaskDoesNotExist`; `InvalidToken`) is an answer,
 * not an error: the caller decides what it means. Anything else is mapped to the domain errors.
 */
export class SfnTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  succeed(taskToken: string, output: unknown): Promise<CallbackResult> {
    return this.send('states:SendTaskSuccess', () => this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) })));
  }

  fail(taskToken: string, error: string, cause: string): Promise<CallbackResult> {
    // The API's limits: error 256 characters, cause 32768.
    return this.send('states:SendTaskFailure', () => this.client.send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, 256), cause: cause.slice(0, 32_768) })));
  }

  private async send(call: string, send: () => Promise<unknown>): Promise<CallbackResult> {
    try {
      await send();
      return { sent: true };
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) return { sent: false, reason: `${error.name}: ${error.message}` };
      throw toDomainError(error, call);
    }
  }
}
