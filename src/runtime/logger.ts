import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per container; `incidentId` is appended per invocation. */
export const logger = new Logger({ serviceName: 'lifeboat' });
