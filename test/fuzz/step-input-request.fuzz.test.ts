/**
 * Hostile step input for the Tasks that take the plain request (Preflight, PromoteNodegroups,
 * ScaleDeployments, AwaitRestore, ShiftTraffic, Verify, ...): `parseFailoverRequest` returns a valid
 * request or throws InputValidationError naming the field, never anything else.
 */
import { describeStepParser, stepParser } from './support/step-parsers.js';

describeStepParser(stepParser('parseFailoverRequest'));
