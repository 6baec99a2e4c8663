import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createEksToken } from '../../../src/adapters/k8s/eks-token.js';
import { startKubeStandIn, type KubeStandIn } from '../../../src/local/k8s/stand-in.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

interface Answer {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('the Kubernetes stand-in, over HTTP', () => {
  let clock: VirtualClock;
  let cluster: KubeStandIn;
  let token: string;

  /** One request with a valid EKS token unless `headers` says otherwise. */
  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(cluster.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers };
  }

  const restoresPath = '/apis/velero.io/v1/namespaces/velero/restores';
  const scalePath = '/apis/apps/v1/namespaces/shop/deployments/web/scale';

  function restore(overrides: Record<string, unknown> = {}, spec: Record<string, unknown> = { backupName: 'nightly-1' }) {
    return { apiVersion: 'velero.io/v1', kind: 'Restore', metadata: { name: 'r1' }, spec, ...overrides };
  }

  beforeEach(async () => {
    clock = new VirtualClock('2026-03-01T12:00:00Z');
    cluster = await startKubeStandIn({ clusterName: 'blue', clock });
    token = await createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials, now: clock.now(), env: {} });
    cluster.addDeployment('shop', 'web', { replicas: 2 });
    cluster.addBackup({ namespace: 'velero', name: 'nightly-1', scheduleName: 'nightly', phase: 'Completed', startedAt: new Date('2026-03-01T02:00:00Z') });
  });

  afterEach(async () => {
    await cluster.close();
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', {}],
      ['a basic credential', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['a token with padding', { authorization: 'Bearer k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9uPUdldENhbGxlcklkZW50aXR5==' }],
    ])('answers %s with a 401 Status', async (_case, headers) => {
      const response = await fetch(cluster.url + '/apis/apps/v1/namespaces/shop/deployments/web', { headers });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    });
  });

  describe('routing', () => {
    it('answers an unknown path with a 404 Status', async () => {
      const { status, body } = await api('GET', '/apis/batch/v1/namespaces/shop/jobs');

      expect(status).toBe(404);
      expect(body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource', code: 404 });
    });

    it('answers a method a path does not serve with 405', async () => {
      const { status, body } = await api('DELETE', '/apis/apps/v1/namespaces/shop/deployments/web');

      expect([status, body.reason]).toEqual([405, 'MethodNotAllowed']);
    });

    it('answers malformed JSON with 400', async () => {
      const { status, body } = await api('POST', restoresPath, '{not json');

      expect([status, body.reason]).toEqual([400, 'BadRequest']);
    });

    it('logs every request with the status it got', async () => {
      await api('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
      await api('GET', '/apis/apps/v1/namespaces/shop/deployments/nope');

      expect(cluster.requests.map((r) => [r.method, r.path, r.status])).toEqual([
        ['GET', '/apis/apps/v1/namespaces/shop/deployments/web', 200],
        ['GET', '/apis/apps/v1/namespaces/shop/deployments/nope', 404],
      ]);
    });
  });

  describe('deployments', () => {
    it('serves an apps/v1 Deployment, omitting zero counts like the API server', async () => {
      await api('PUT', scalePath, { spec: { replicas: 0 } });

      const { status, body } = await api('GET', '/apis/apps/v1/namespaces/shop/deployments/web');

      expect(status).toBe(200);
      expect(body).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', generation: 2 }, spec: { replicas: 0 } });
      expect(body.status).toMatchObject({ observedGeneration: 2 });
      expect(body.status).not.toHaveProperty('readyReplicas');
    });

    it('serves the scale subresource as autoscaling/v1 Scale sharing the resourceVersion', async () => {
      const deployment = await api('GET', '/apis/apps/v1/namespaces/shop/deployments/web');

      const { body } = await api('GET', scalePath);

      expect(body).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
      expect(body.metadata.resourceVersion).toBe(deployment.body.metadata.resourceVersion);
    });

    it('answers a write with a stale resourceVersion with 409 Conflict and changes nothing', async () => {
      const { body: scale } = await api('GET', scalePath);
      await api('PUT', scalePath, { ...scale, spec: { replicas: 3 } });

      const { status, body } = await api('PUT', scalePath, { ...scale, spec: { replicas: 5 } });

      expect(status).toBe(409);
      expect(body).toMatchObject({
        reason: 'Conflict',
        message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
        details: { name: 'web', group: 'apps', kind: 'deployments' },
      });
      expect(cluster.deployment('shop', 'web')?.spec.replicas).toBe(3);
    });

    it('does not bump generation or resourceVersion when the count does not change', async () => {
      const { body: before } = await api('GET', scalePath);

      const { body: after } = await api('PUT', scalePath, { spec: { replicas: 2 } });

      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(cluster.deployment('shop', 'web')?.metadata.generation).toBe(1);
      expect(cluster.stats.scaleWrites).toBe(1);
    });

    it('takes a merge patch, where a resourceVersion in the patch is a precondition', async () => {
      const ok = await api('PATCH', scalePath, { spec: { replicas: 4 } }, { 'content-type': 'application/merge-patch+json' });
      const stale = await api('PATCH', scalePath, { metadata: { resourceVersion: '1' }, spec: { replicas: 6 } }, { 'content-type': 'application/merge-patch+json' });
      const jsonPatch = await api('PATCH', scalePath, [{ op: 'replace', path: '/spec/replicas', value: 1 }], { 'content-type': 'application/json-patch+json' });

      expect([ok.status, ok.body.spec.replicas]).toEqual([200, 4]);
      expect(stale.status).toBe(409);
      expect(jsonPatch.status).toBe(415);
    });

    it.each([
      ['an unknown field (strict decoding)', { spec: { replicas: 1, surge: 1 } }, 400, 'strict decoding error: unknown field "spec.surge"'],
      ['a replicas count that is not an integer', { spec: { replicas: 'three' } }, 400, 'spec.replicas in body must be of type integer'],
      ['a negative replicas count', { spec: { replicas: -1 } }, 422, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
      ['another object name', { metadata: { name: 'api' }, spec: { replicas: 1 } }, 400, 'does not match the name on the URL'],
    ])('rejects a scale write with %s', async (_case, body, status, message) => {
      const answer = await api('PUT', scalePath, body);

      expect(answer.status).toBe(status);
      expect(answer.body.message).toContain(message);
      expect(cluster.deployment('shop', 'web')?.spec.replicas).toBe(2);
    });

    it('scales to 0 when a PUT leaves out spec.replicas, as Go decoding does', async () => {
      await api('PUT', scalePath, { spec: {} });

      expect(cluster.deployment('shop', 'web')?.spec.replicas).toBe(0);
    });
  });

  describe('Restore admission', () => {
    it('creates a valid Restore with server-set metadata and phase New', async () => {
      const { status, body } = await api('POST', restoresPath, restore());

      expect(status).toBe(201);
      expect(body.metadata).toMatchObject({ name: 'r1', namespace: 'velero', generation: 1, creationTimestamp: '2026-03-01T12:00:00Z' });
      expect(body.metadata.uid).toEqual(expect.any(String));
      expect(body.status).toEqual({ phase: 'New' });
    });

    it('answers a second create of the same name with 409 AlreadyExists', async () => {
      await api('POST', restoresPath, restore());

      const { status, body } = await api('POST', restoresPath, restore());

      expect(status).toBe(409);
      expect(body).toMatchObject({ reason: 'AlreadyExists', message: 'restores.velero.io "r1" already exists', details: { name: 'r1', group: 'velero.io', kind: 'restores' } });
    });

    it('rejects a schema-invalid Restore with 422 listing every cause, and stores nothing', async () => {
      const body = restore(
        { metadata: { name: 'Failover_1' }, status: { phase: 'Done' } },
        { backupName: 'nightly-1', includedNamespaces: 'shop', hooks: { resources: [{ postHooks: [] }] } },
      );

      const answer = await api('POST', restoresPath, body);

      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ reason: 'Invalid', details: { name: 'Failover_1', group: 'velero.io', kind: 'Restore' } });
      expect(answer.body.message).toMatch(/^Restore\.velero\.io "Failover_1" is invalid: \[/);
      expect(answer.body.details.causes.map((cause: { field: string }) => cause.field)).toEqual([
        'spec.includedNamespaces',
        'spec.hooks.resources[0].name',
        'status.phase',
        'metadata.name',
      ]);
      expect(cluster.restores()).toEqual([]);
    });

    it.each([
      ['a wrong apiVersion', { apiVersion: 'velero.io/v2' }, 'apiVersion'],
      ['a wrong kind', { kind: 'Backup' }, 'kind'],
      ['no name', { metadata: {} }, 'metadata.name'],
      ['a name over 253 characters', { metadata: { name: 'a'.repeat(254) } }, 'metadata.name'],
    ])('rejects %s with 422', async (_case, overrides, field) => {
      const answer = await api('POST', restoresPath, restore(overrides));

      expect(answer.status).toBe(422);
      expect(answer.body.details.causes.map((cause: { field: string }) => cause.field)).toContain(field);
    });

    it('rejects unknown fields with 400 under strict field validation (the stand-in default)', async () => {
      const answer = await api('POST', restoresPath, restore({ extra: 1 }, { backupName: 'nightly-1', restoreEverything: true }));

      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe(
        'Restore in version "v1" cannot be handled as a Restore: strict decoding error: unknown field "spec.restoreEverything", unknown field "extra"',
      );
      expect(cluster.restores()).toEqual([]);
    });

    it('drops unknown fields with a Warning header under fieldValidation=Warn', async () => {
      const answer = await api('POST', `${restoresPath}?fieldValidation=Warn`, restore({}, { backupName: 'nightly-1', restoreEverything: true }));

      expect(answer.status).toBe(201);
      expect(answer.headers.get('warning')).toBe('299 - "unknown field \\"spec.restoreEverything\\""');
      expect(answer.body.spec).toEqual({ backupName: 'nightly-1' });
    });

    it('rejects an object whose namespace is not the one in the URL', async () => {
      const answer = await api('POST', restoresPath, restore({ metadata: { name: 'r1', namespace: 'other' } }));

      expect([answer.status, answer.body.reason]).toEqual([400, 'BadRequest']);
    });
  });

  describe('Restore lifecycle', () => {
    it.each([
      ['neither a backup nor a schedule', {}, 'Either a backup or schedule must be specified as a source for the restore, but not both'],
      ['both a backup and a schedule', { backupName: 'nightly-1', scheduleName: 'nightly' }, 'Either a backup or schedule must be specified as a source for the restore, but not both'],
      ['a schedule with no backups', { scheduleName: 'weekly' }, 'No backups found for schedule'],
      ['a namespace both included and excluded', { backupName: 'nightly-1', includedNamespaces: ['shop'], excludedNamespaces: ['shop'] }, 'Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: shop'],
    ])('fails validation for %s', async (_case, spec, message) => {
      await api('POST', restoresPath, restore({}, spec));

      clock.advanceSeconds(1);

      const { body } = await api('GET', `${restoresPath}/r1`);
      expect(body.status.phase).toBe('FailedValidation');
      expect(body.status.validationErrors).toContain(message);
    });

    it('restores from the latest completed backup of a schedule', async () => {
      await api('POST', restoresPath, restore({}, { scheduleName: 'nightly' }));

      clock.advanceSeconds(120);

      const { body } = await api('GET', `${restoresPath}/r1`);
      expect(body.status).toMatchObject({ phase: 'Completed', startTimestamp: '2026-03-01T12:00:01Z', completionTimestamp: '2026-03-01T12:02:00Z' });
      expect(body.status).not.toHaveProperty('errors');
    });

    it('leaves alone a Restore created with a phase Velero does not process', async () => {
      await api('POST', restoresPath, restore({ status: { phase: 'Completed' } }));

      clock.advanceSeconds(600);

      const { body } = await api('GET', `${restoresPath}/r1`);
      expect(body.status).toEqual({ phase: 'Completed' });
    });

    it('fixes a restore outcome when the restore is created', async () => {
      cluster.setRestoreOutcome({ phase: 'PartiallyFailed', errors: 1 });
      await api('POST', restoresPath, restore());
      cluster.setRestoreOutcome({ phase: 'Completed' });

      clock.advanceSeconds(119);
      const finalizing = await api('GET', `${restoresPath}/r1`);
      clock.advanceSeconds(1);
      const done = await api('GET', `${restoresPath}/r1`);

      expect(finalizing.body.status.phase).toBe('FinalizingPartiallyFailed');
      expect(done.body.status).toMatchObject({ phase: 'PartiallyFailed', errors: 1 });
    });

    it('refuses an outcome Velero could not report', () => {
      expect(() => cluster.setRestoreOutcome({ phase: 'Completed', errors: 2 })).toThrow(RangeError);
    });
  });

  describe('listing', () => {
    beforeEach(() => {
      cluster.addBackup({ namespace: 'velero', name: 'nightly-0', scheduleName: 'nightly', phase: 'Completed' });
      cluster.addBackup({ namespace: 'velero', name: 'hourly-1', scheduleName: 'hourly', phase: 'InProgress' });
      cluster.addBackup({ namespace: 'velero', name: 'manual-1', phase: 'Completed' });
      cluster.addBackup({ namespace: 'other', name: 'nightly-9', scheduleName: 'nightly', phase: 'Completed' });
    });

    async function names(selector: string): Promise<string[]> {
      const { body } = await api('GET', `/apis/velero.io/v1/namespaces/velero/backups?labelSelector=${encodeURIComponent(selector)}`);
      return body.items.map((item: { metadata: { name: string } }) => item.metadata.name);
    }

    it.each([
      ['velero.io/schedule-name=nightly', ['nightly-0', 'nightly-1']],
      ['velero.io/schedule-name==hourly', ['hourly-1']],
      ['velero.io/schedule-name=nightly,velero.io/storage-location=default', ['nightly-0', 'nightly-1']],
      ['velero.io/schedule-name!=nightly', ['hourly-1', 'manual-1']],
      ['velero.io/schedule-name in (hourly, nightly)', ['hourly-1', 'nightly-0', 'nightly-1']],
      ['!velero.io/schedule-name', ['manual-1']],
      ['', ['hourly-1', 'manual-1', 'nightly-0', 'nightly-1']],
    ])('selects %p in one namespace', async (selector, expected) => {
      expect(await names(selector)).toEqual(expected);
    });

    it('answers a selector it cannot parse with 400', async () => {
      const { status } = await api('GET', `/apis/velero.io/v1/namespaces/velero/backups?labelSelector=${encodeURIComponent('a=(b')}`);

      expect(status).toBe(400);
    });

    it('pages with limit and continue', async () => {
      const first = await api('GET', '/apis/velero.io/v1/namespaces/velero/backups?limit=3');
      const second = await api('GET', `/apis/velero.io/v1/namespaces/velero/backups?limit=3&continue=${first.body.metadata.continue}`);

      expect(first.body).toMatchObject({ apiVersion: 'velero.io/v1', kind: 'BackupList', metadata: { remainingItemCount: 1 } });
      expect(first.body.items).toHaveLength(3);
      expect(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['nightly-1']);
      expect(second.body.metadata.continue).toBeUndefined();
    });
  });

  describe('fault injection', () => {
    it('fails the next matching requests with the Status a real server sends, then recovers', async () => {
      cluster.injectFault({ method: 'GET', pathIncludes: '/deployments/web', status: 429, times: 2 });

      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await api('GET', '/apis/apps/v1/namespaces/shop/deployments/web'));
      const post = await api('POST', restoresPath, restore());

      expect(answers.map((a) => a.status)).toEqual([429, 429, 200]);
      expect(answers[0]?.body).toMatchObject({ reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 1 } });
      expect(answers[0]?.headers.get('retry-after')).toBe('1');
      expect(post.status).toBe(201);
    });

    it.each([
      [500, 'InternalError'],
      [409, 'Conflict'],
    ] as const)('injects %d as %s', async (status, reason) => {
      cluster.injectFault({ status, times: 1 });

      const answer = await api('GET', scalePath);

      expect([answer.status, answer.body.reason]).toEqual([status, reason]);
    });
  });
});

describe('many stand-in clusters behind one HTTP server', () => {
  it('serves each cluster under its own path, through the real Kubernetes client, and takes one down alone', async () => {
    // arrange
    const { startKubeHost } = await import('../../../src/local/k8s/stand-in.js');
    const { KubernetesAdapter } = await import('../../../src/adapters/k8s/kubernetes-adapter.js');
    const clock = new VirtualClock('2026-03-01T12:00:00Z');
    const host = await startKubeHost();
    try {
      const blue = host.add({ clusterName: 'blue', clock });
      const green = host.add({ clusterName: 'green', clock });
      blue.addDeployment('shop', 'web', { replicas: 2 });
      green.addDeployment('shop', 'web', { replicas: 5 });
      const endpoints: Record<string, string> = { blue: blue.url, green: green.url };
      const kube = new KubernetesAdapter({
        clock,
        connect: async (target) => ({ server: endpoints[target.cluster]!, token: await createEksToken({ cluster: target.cluster, region: target.region, credentials, now: clock.now(), env: {} }) }),
      });

      // act
      const read = (cluster: string) => kube.readDeployment({ region: 'eu-west-1', cluster }, 'shop', 'web');
      const [b, g] = await Promise.all([read('blue'), read('green')]);
      await blue.close();

      // assert
      expect(new URL(blue.url).port).toBe(new URL(green.url).port);
      expect([b.specReplicas, g.specReplicas]).toEqual([2, 5]);
      expect(blue.requests.map((r) => r.path)).toEqual(['/apis/apps/v1/namespaces/shop/deployments/web']);
      await expect(read('blue')).rejects.toMatchObject({ name: 'DependencyUnavailableError' });
      await expect(read('green')).resolves.toMatchObject({ specReplicas: 5 });
    } finally {
      await host.close();
    }
  });
});
