import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createEksToken, EKS_TOKEN_PREFIX, stsEndpoint } from '../../../src/adapters/k8s/eks-token.js';
import { checkEksBearer } from '../../../src/local/k8s/eks-token-check.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = new Date('2026-03-01T12:00:00Z');

function decode(token: string): URL {
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
// RFC 3986 encoding, as SigV4 canonicalises query strings.
const uriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 worked out independently of @smithy/signature-v4, as STS would check the presigned GET. */
function expectedSignature(url: URL, cluster: string, region: string, secret: string): string {
  const params = [...url.searchParams.entries()].filter(([key]) => key !== 'X-Amz-Signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalQuery = params.map(([key, value]) => `${uriEncode(key)}=${uriEncode(value)}`).join('&');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${url.host}`, `x-k8s-aws-id:${cluster}`, '', 'host;x-k8s-aws-id', sha256('')].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date')!;
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/sts/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = ['aws4_request'].reduce((k, part) => hmac(k, part), hmac(hmac(hmac(`AWS4${secret}`, day), region), 'sts'));
  return hmac(key, stringToSign).toString('hex');
}

describe('createEksToken', () => {
  it('is k8s-aws-v1. followed by unpadded base64url', async () => {
    const token = await createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials, now, env: {} });

    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(token.slice('k8s-aws-v1.'.length)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('encodes a presigned regional STS GetCallerIdentity URL that signs the cluster header', async () => {
    const url = decode(await createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials, now, env: {} }));

    expect(url.origin + url.pathname).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20260301/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20260301T120000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('carries a signature STS would accept for that cluster, and only that cluster', async () => {
    const url = decode(await createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials, now, env: {} }));

    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'blue', 'eu-west-1', credentials.secretAccessKey));
    expect(url.searchParams.get('X-Amz-Signature')).not.toBe(expectedSignature(url, 'green', 'eu-west-1', credentials.secretAccessKey));
  });

  it('carries the session token of temporary credentials, from a provider too', async () => {
    const provider = async () => ({ ...credentials, sessionToken: 'IQoJb3JpZ2luX2VjEPT//session+token=' });

    const url = decode(await createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials: provider, now, env: {} }));

    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('IQoJb3JpZ2luX2VjEPT//session+token=');
  });

  it('passes the API server checks of aws-iam-authenticator for 15 minutes', async () => {
    const token = await createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials, now, env: {} });

    expect(checkEksBearer(`Bearer ${token}`, new Date(now.getTime() + 15 * 60 * 1000))).toMatchObject({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
    expect(checkEksBearer(`Bearer ${token}`, new Date(now.getTime() + 15 * 60 * 1000 + 1000))).toMatchObject({ ok: false });
  });
});

describe('stsEndpoint', () => {
  it.each([
    ['the regional endpoint by default', {}, 'https://sts.ap-south-1.amazonaws.com/'],
    ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'http://localhost:4566' }, 'http://localhost:4566/'],
    ['AWS_ENDPOINT_URL_STS before AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_STS: 'https://sts.internal:8443' }, 'https://sts.internal:8443/'],
    ['neither when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true', { AWS_ENDPOINT_URL_STS: 'https://sts.internal', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'https://sts.ap-south-1.amazonaws.com/'],
  ])('uses %s', (_case, env, expected) => {
    expect(stsEndpoint('ap-south-1', env).href).toBe(expected);
  });

  it('presigns against the configured endpoint', async () => {
    const url = decode(await createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials, now, env: { AWS_ENDPOINT_URL_STS: 'https://sts.internal:8443' } }));

    expect(url.host).toBe('sts.internal:8443');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'blue', 'eu-west-1', credentials.secretAccessKey));
  });
});

describe('createEksToken against @smithy/signature-v4 (the SDK signer, as reference)', () => {
  async function smithyToken(cluster: string, region: string, creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, endpoint: URL): Promise<string> {
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const { HttpRequest } = await import('@smithy/protocol-http');
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const signer = new SignatureV4({ service: 'sts', region, sha256: Sha256, credentials: creds });
    const request = new HttpRequest({
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: endpoint.pathname || '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, 'x-k8s-aws-id': cluster },
    });
    const signed = await signer.presign(request, { expiresIn: 60, signingDate: now });
    return signed.query!['X-Amz-Signature'] as string;
  }

  it.each([
    ['long-term credentials, regional endpoint', 'blue', 'eu-west-1', credentials, {}],
    ['a session token with / + =', 'green-cluster', 'ap-south-1', { ...credentials, sessionToken: 'IQoJb3JpZ2luX2VjEPT//session+token=' }, {}],
    ['a configured endpoint with a port and a path', 'blue', 'us-east-1', credentials, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566/sts/' }],
  ])('signs %s exactly as the SDK signer does', async (_case, cluster, region, creds, env) => {
    const url = decode(await createEksToken({ cluster, region, credentials: creds, now, env }));

    expect(url.searchParams.get('X-Amz-Signature')).toBe(await smithyToken(cluster, region, creds, stsEndpoint(region, env)));
  });
});
