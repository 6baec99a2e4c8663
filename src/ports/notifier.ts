/** Where a Slack webhook URL is kept: never inline in config, env or logs. */
export type SecretRef = { secretsManager: string } | { ssmParameter: string };

/** A Slack message: fallback text plus Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

export interface Notifier {
  /** Posts to the webhook the secret holds; throws NotificationFailedError when Slack does not take it. */
  post(webhook: SecretRef, message: SlackMessage): Promise<void>;
}
