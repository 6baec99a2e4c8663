/**
 * Brings a DNS name to the form Route 53 returns it in, so names from configuration and from
 * ListResourceRecordSets compare equal: lower case ("Route 53 stores alphabetic characters as
 * lowercase letters"), a trailing dot (Route 53 "treats www.example.com (without a trailing dot)
 * and www.example.com. (with a trailing dot) as identical"), and characters other than a-z, 0-9,
 * `-` and `_` as `\ooo` octal escapes (`*.example.com` is returned as `\052.example.com.`).
 * Escapes in the input are decoded first, so `\052` and `*` normalise alike.
 */
export function normaliseRecordName(name: string): string {
  const decoded = name.replace(/\\(\d{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  const escaped = [...decoded.toLowerCase()]
    .map((char) => (/[a-z0-9_.-]/.test(char) ? char : `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`))
    .join('');
  return escaped.endsWith('.') ? escaped : `${escaped}.`;
}
