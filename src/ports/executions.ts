/** Step Functions, as the triggers need it. */
export interface Executions {
  /** Starts an execution; a duplicate name is not an error: `alreadyStarted` says it existed. */
  start(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string; alreadyStarted: boolean }>;
}
