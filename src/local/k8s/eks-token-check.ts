/** The checks of aws-iam-authenticator's token verifier that need no AWS. */

const PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_BYTES = 4096;
/** A presigned GetCallerIdentity URL is good for 15 minutes after X-Amz-Date, whatever X-Amz-Expires says. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

export type TokenCheck = { ok: true; accessKeyId: string } | { ok: false; reason: string };

function fail(reason: string): TokenCheck {
  return { ok: false, reason };
}

/** Parses `X-Amz-Date` (`20260101T000000Z`). */
function amzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/**
 * Checks an `Authorization` header holds an EKS bearer token the way aws-iam-authenticator's
 * verifier does before it calls STS: the `k8s-aws-v1.` prefix, unpadded base64url, an https URL
 * with path `/`, only the presign query parameters, `Action=GetCallerIdentity`, `x-k8s-aws-id`
 * among the signed headers, `X-Amz-Expires` within 0..900, and `X-Amz-Date` less than 15 minutes
 * before `now`. There is no STS here, so neither the signature nor the STS host is verified
 * (and so neither is the cluster name inside the signed header): the stand-in trusts any
 * well-formed, unexpired token.
 */
export function checkEksBearer(authorization: string | undefined, now: Date): TokenCheck {
  if (!authorization) return fail('no Authorization header');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) return fail('not a bearer token');
  const token = match[1]!;
  if (token.length > MAX_TOKEN_BYTES) return fail('token is too large');
  if (!token.startsWith(PREFIX)) return fail(`token is missing expected "${PREFIX}" prefix`);
  const encoded = token.slice(PREFIX.length);
  // Go's base64.RawURLEncoding: URL alphabet, no padding.
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return fail('illegal base64 data');
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return fail('token does not hold a URL');
  }
  if (url.protocol !== 'https:') return fail(`unexpected scheme "${url.protocol.replace(':', '')}" in pre-signed URL`);
  if (url.pathname !== '/') return fail('unexpected path in pre-signed URL');

  const params = new Map<string, string>();
  for (const key of new Set(url.searchParams.keys())) {
    if (!ALLOWED_PARAMETERS.has(key.toLowerCase())) return fail(`non-whitelisted query parameter "${key}"`);
    const values = url.searchParams.getAll(key);
    if (values.length !== 1) return fail('query parameter with multiple values not supported');
    params.set(key.toLowerCase(), values[0]!);
  }
  if (params.get('action') !== 'GetCallerIdentity') return fail('unexpected action parameter in pre-signed URL');
  if (!(params.get('x-amz-signature') ?? '')) return fail('pre-signed URL has no signature');
  const signedHeaders = (params.get('x-amz-signedheaders') ?? '').split(';').map((header) => header.toLowerCase());
  if (!signedHeaders.includes('x-k8s-aws-id')) return fail('client did not sign the x-k8s-aws-id header in the pre-signed URL');
  const expires = Number(params.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) return fail('invalid X-Amz-Expires parameter in pre-signed URL');
  const signedAt = amzDate(params.get('x-amz-date') ?? '');
  if (!signedAt) return fail('X-Amz-Date parameter must be present in pre-signed URL');
  if (now.getTime() > signedAt.getTime() + TOKEN_LIFETIME_MS) return fail('X-Amz-Date parameter is expired (15 minute expiration)');
  return { ok: true, accessKeyId: (params.get('x-amz-credential') ?? '').split('/')[0] ?? '' };
}
