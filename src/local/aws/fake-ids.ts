import { createHash } from 'node:crypto';

/**
 * Deterministic identifiers shaped like the real ones, so a simulated failover replays with the
 * same IDs every time. `seed` makes them differ between fakes and purposes.
 */
export function fakeUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `length` characters of [a-zA-Z] derived from `seed` (the random suffix of a Secrets Manager ARN). */
export function fakeSuffix(seed: string, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from({ length }, (_, index) => alphabet[(bytes[index] ?? 0) % alphabet.length]).join('');
}
