import { createHash, createHmac } from 'node:crypto';

/** What the EKS API server (aws-iam-authenticator) expects in front of the encoded URL. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The signed header that binds a token to one cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** The parts of an `AwsCredentialIdentity` that signing uses. */
export interface EksTokenIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An identity or a provider of one (what the SDK's credential providers, e.g. `defaultProvider()`, are). */
export type EksTokenCredentials = EksTokenIdentity | (() => Promise<EksTokenIdentity>);

const SIGNED_HEADERS = `host;${CLUSTER_ID_HEADER}`;
/** SHA-256 of the empty payload of a GET. */
const EMPTY_PAYLOAD_HASH = createHash('sha256').update('').digest('hex');

/** RFC 3986 percent-encoding, as SigV4 canonicalises names and values (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `20260301T120000Z` */
function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The canonical URI of SigV4 for non-S3 services: dot segments removed, then each character encoded again. */
function canonicalPath(pathname: string): string {
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const path = `${pathname.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length && pathname.endsWith('/') ? '/' : ''}`;
  return uriEncode(path).replace(/%2F/g, '/');
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export interface EksTokenOptions {
  /** The EKS cluster name. */
  cluster: string;
  region: string;
  credentials: EksTokenCredentials;
  /** The signing time; the token is accepted for 15 minutes after it. */
  now?: Date;
  /** Where to read endpoint overrides from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The STS endpoint to presign against: `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL` (the
 * SDK's configured-endpoint variables, ignored like the SDK does when
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else the regional endpoint, which
 * aws-iam-authenticator accepts for every region.
 */
export function stsEndpoint(region: string, env: Readonly<Record<string, string | undefined>> = process.env): URL {
  const ignoreConfigured = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const configured = ignoreConfigured ? undefined : env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL;
  return new URL(configured || `https://sts.${region}.amazonaws.com`);
}

/**
 * Creates an EKS bearer token, as `aws eks get-token` does: a SigV4-presigned
 * `GET /?Action=GetCallerIdentity&Version=2011-06-15` on STS with the signed header
 * `x-k8s-aws-id: <cluster>` and `X-Amz-Expires=60`, base64url-encoded without padding, after
 * `k8s-aws-v1.`. The API server replays the URL against STS to learn who we are, so the token
 * is good for 15 minutes from `now` (STS ignores X-Amz-Expires here; 60 is what clients send).
 * Signed here with node:crypto: @smithy/signature-v4 (CommonJS, requiring all of @smithy/core) put
 * ~165 KB into each Kubernetes function's bundle for this one presign; the tests check the
 * signature against it and against SigV4 worked out independently.
 */
export async function createEksToken(options: EksTokenOptions): Promise<string> {
  const endpoint = stsEndpoint(options.region, options.env);
  const identity = typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
  const date = amzDate(options.now ?? new Date());
  const day = date.slice(0, 8);
  const scope = `${day}/${options.region}/sts/aws4_request`;
  const path = endpoint.pathname || '/';

  const params: [string, string][] = [
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${identity.accessKeyId}/${scope}`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', '60'],
    ...(identity.sessionToken ? ([['X-Amz-Security-Token', identity.sessionToken]] as [string, string][]) : []),
    ['X-Amz-SignedHeaders', SIGNED_HEADERS],
  ];
  const canonicalQuery = params
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = ['GET', canonicalPath(path), canonicalQuery, `host:${endpoint.host}`, `${CLUSTER_ID_HEADER}:${options.cluster.trim()}`, '', SIGNED_HEADERS, EMPTY_PAYLOAD_HASH].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${identity.secretAccessKey}`, day), options.region), 'sts'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');

  const query = new URLSearchParams([...params, ['X-Amz-Signature', signature]]);
  // URLSearchParams writes spaces as '+'; SigV4 values never contain spaces, but '%20' is the safe spelling.
  const url = `${endpoint.protocol}//${endpoint.host}${path}?${query.toString().replace(/\+/g, '%20')}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}
