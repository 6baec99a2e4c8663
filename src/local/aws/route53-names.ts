/**
 * DNS names the way Route 53 stores and returns them: lower case, fully qualified with a trailing
 * dot, and every character other than a-z, 0-9, hyphen, underscore and the label dots written as a
 * `\ooo` octal escape (so `*.example.com` comes back as `\052.example.com.`).
 * See "DNS domain name format" in the Route 53 Developer Guide: Route 53 "stores alphabetic
 * characters as lowercase letters (a-z), regardless of how you specify them: as uppercase letters,
 * lowercase letters, or the corresponding letters in escape codes", and it treats names with and
 * without the trailing dot as identical.
 */
export function canonicalDnsName(name: string): string {
  const decoded = name.replace(/\\(\d{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  const lower = decoded.toLowerCase();
  const escaped = [...lower]
    .map((char) => (/[a-z0-9_.-]/.test(char) ? char : `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`))
    .join('');
  return escaped.endsWith('.') ? escaped : `${escaped}.`;
}

/**
 * The key ListResourceRecordSets sorts by: the labels reversed, keeping the trailing dot
 * (`www.example.com.` → `com.example.www.`), compared in ASCII order. The API reference notes the
 * trailing dot "can change the sort order when the record name contains characters that appear
 * before `.`", which comparing these strings reproduces.
 */
export function nameSortKey(canonicalName: string): string {
  const labels = canonicalName.replace(/\.$/, '').split('.');
  return `${labels.reverse().join('.')}.`;
}

/** Whether a (canonical) record name lies in a (canonical) zone: the apex or below it. */
export function isInZone(canonicalName: string, canonicalZone: string): boolean {
  return canonicalName === canonicalZone || canonicalName.endsWith(`.${canonicalZone}`);
}

/** ASCII order, as Route 53 uses for names, types and set identifiers (not locale order). */
export function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
