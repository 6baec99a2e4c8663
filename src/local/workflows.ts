import { fileURLToPath } from 'node:url';
import { loadDefinition, type AslDefinition } from './asl.js';
import type { FakeStepFunctions } from './fake-step-functions.js';
import type { LocalStateMachineRunner } from './state-machine-runner.js';

/*
 * The failback and drill workflows of the embedded runtime: their ASL files and the ARNs they are
 * registered under in the fake Step Functions, next to the failover state machine of the same stack.
 */

export const FAILBACK_DEFINITION = fileURLToPath(new URL('../../statemachines/failback.asl.json', import.meta.url));
export const DRILL_DEFINITION = fileURLToPath(new URL('../../statemachines/drill.asl.json', import.meta.url));

/** The failback and drill state machines of the stack whose failover state machine is `failoverArn`. */
export function workflowArns(failoverArn: string): { failback: string; drill: string } {
  const base = failoverArn.replace(/-failover$/, '');
  return { failback: `${base}-failback`, drill: `${base}-drill` };
}

/** `{"Ref": ...}` of the state machines in serverless.yml (the drill nests the others) → their local ARNs. */
export function stateMachineRefs(failoverArn: string): Record<string, string> {
  const { failback, drill } = workflowArns(failoverArn);
  return { FailoverStateMachine: failoverArn, FailbackStateMachine: failback, DrillStateMachine: drill };
}

/** Registers the failback and drill state machines of a stack, each run by a runner from `make`. */
export function registerWorkflows(sfn: FakeStepFunctions, failoverArn: string, make: (definition: AslDefinition) => LocalStateMachineRunner): void {
  const arns = workflowArns(failoverArn);
  sfn.register(arns.failback, make(loadDefinition(FAILBACK_DEFINITION)));
  sfn.register(arns.drill, make(loadDefinition(DRILL_DEFINITION)));
}
