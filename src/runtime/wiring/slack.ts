import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { PowertoolsSecretReader } from '../../adapters/slack/powertools-secrets.js';
import { WebhookNotifier } from '../../adapters/slack/webhook-notifier.js';
import { decorated, perRuntime, SDK_CLIENT_OPTIONS } from '../runtime-options.js';

/** Slack through incoming webhooks whose URLs are secrets (Secrets Manager or SSM SecureString). */
export const webhookNotifier = perRuntime(
  () =>
    new WebhookNotifier(
      new PowertoolsSecretReader({
        secretsManager: decorated(new SecretsManagerClient(SDK_CLIENT_OPTIONS)),
        ssm: decorated(new SSMClient(SDK_CLIENT_OPTIONS)),
      }),
    ),
);
