import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4, type SignatureV4Init } from '@smithy/signature-v4';

/** What the EKS API server (aws-iam-authenticator) expects in front of the encoded URL. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The signed header that binds a token to one cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** An `AwsCredentialIdentity` or a provider of one (what the SDK's credential providers return). */
export type EksTokenCredentials = SignatureV4Init['credentials'];

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
 */
export async function createEksToken(options: EksTokenOptions): Promise<string> {
  const endpoint = stsEndpoint(options.region, options.env);
  const signer = new SignatureV4({ service: 'sts', region: options.region, sha256: Sha256, credentials: options.credentials });
  const request = new HttpRequest({
    method: 'GET',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path: endpoint.pathname || '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: endpoint.host, [CLUSTER_ID_HEADER]: options.cluster },
  });
  const signed = await signer.presign(request, { expiresIn: 60, signingDate: options.now ?? new Date() });

  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== null) query.append(key, item);
  }
  // URLSearchParams writes spaces as '+'; SigV4 values never contain spaces, but '%20' is the safe spelling.
  const url = `${endpoint.protocol}//${endpoint.host}${signed.path}?${query.toString().replace(/\+/g, '%20')}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}
