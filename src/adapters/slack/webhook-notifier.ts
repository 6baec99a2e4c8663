import { IncomingWebhook } from '@slack/webhook';
import { NotificationFailedError } from '../../domain/errors.js';
import type { Notifier, SecretRef, SlackMessage } from '../../ports/notifier.js';

/** Reads a secret's current value (Powertools Parameters in production: cached, from Secrets Manager or SSM). */
export interface SecretReader {
  read(ref: SecretRef): Promise<string>;
}

function describeRef(ref: SecretRef): string {
  return 'secretsManager' in ref ? `secret ${ref.secretsManager}` : `parameter ${ref.ssmParameter}`;
}

/**
 * Posts Slack messages to the incoming webhook whose URL a secret holds. The URL never leaves this
 * module: errors carry the HTTP status or the kind of failure, never the URL (the Slack client's
 * own errors embed the request config, so they are not kept as `cause`).
 */
export class WebhookNotifier implements Notifier {
  constructor(
    private readonly secrets: SecretReader,
    private readonly timeoutMs = 5_000,
  ) {}

  async post(webhook: SecretRef, message: SlackMessage): Promise<void> {
    let url: string;
    try {
      url = await this.secrets.read(webhook);
    } catch (error) {
      throw new NotificationFailedError(`cannot read the Slack webhook from ${describeRef(webhook)}: ${error instanceof Error ? error.name : 'error'}`);
    }
    if (!/^https?:\/\//.test(url)) throw new NotificationFailedError(`${describeRef(webhook)} does not hold a webhook URL`);
    try {
      await new IncomingWebhook(url, { timeout: this.timeoutMs }).send({ text: message.text, blocks: message.blocks as never });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      const original = (error as { original?: { code?: string } }).original;
      throw new NotificationFailedError(status ? `Slack answered HTTP ${status}` : `Slack unreachable (${original?.code ?? 'request error'})`);
    }
  }
}
