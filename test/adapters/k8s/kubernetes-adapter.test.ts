import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createEksToken } from '../../../src/adapters/k8s/eks-token.js';
import type { KubeConnect, KubeConnection } from '../../../src/adapters/k8s/kube-clients.js';
import { KubernetesAdapter } from '../../../src/adapters/k8s/kubernetes-adapter.js';
import {
  ConflictError,
  DependencyUnavailableError,
  InvalidChangeError,
  PermissionDeniedError,
  ResourceNotFoundError,
  ThrottledError,
} from '../../../src/domain/errors.js';
import { startKubeStandIn, type KubeStandIn } from '../../../src/local/k8s/stand-in.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';
import type { KubeTarget } from '../../../src/ports/kubernetes.js';

const target: KubeTarget = { region: 'eu-west-1', cluster: 'blue' };
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const SECOND = 1000;

describe('KubernetesAdapter against the stand-in', () => {
  let clock: VirtualClock;
  let cluster: KubeStandIn;
  let connects: number;
  /** What `connect` hands out; tests replace it to present a bad token. */
  let token: () => Promise<string>;
  let adapter: KubernetesAdapter;

  function adapterWith(options: { tokenRefreshSeconds?: number } = {}): KubernetesAdapter {
    const connect: KubeConnect = async (): Promise<KubeConnection> => {
      connects += 1;
      return { server: cluster.url, token: await token() };
    };
    return new KubernetesAdapter({ connect, clock, ...options });
  }

  beforeEach(async () => {
    clock = new VirtualClock('2026-03-01T12:00:00Z');
    cluster = await startKubeStandIn({ clusterName: 'blue', clock, deploymentReadySeconds: 60, restoreSeconds: 120 });
    connects = 0;
    token = () => createEksToken({ cluster: target.cluster, region: target.region, credentials, now: clock.now(), env: {} });
    adapter = adapterWith();
  });

  afterEach(async () => {
    await cluster.close();
  });

  describe('deployments', () => {
    it('scales up, and the new pods become ready only after the readiness delay', async () => {
      // arrange
      cluster.addDeployment('shop', 'web', { replicas: 0 });

      // act
      await adapter.scaleDeployment(target, 'shop', 'web', 3);

      // assert
      const justAfter = await adapter.readDeployment(target, 'shop', 'web');
      expect(justAfter).toMatchObject({ specReplicas: 3, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0, generation: 2, observedGeneration: 2 });
      clock.advanceSeconds(59);
      expect((await adapter.readDeployment(target, 'shop', 'web')).readyReplicas).toBe(0);
      clock.advanceSeconds(1);
      expect(await adapter.readDeployment(target, 'shop', 'web')).toMatchObject({ readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
      expect(cluster.stats.scaleWrites).toBe(1);
    });

    it('scales down at once', async () => {
      cluster.addDeployment('shop', 'web', { replicas: 4 });

      await adapter.scaleDeployment(target, 'shop', 'web', 1);

      expect(await adapter.readDeployment(target, 'shop', 'web')).toMatchObject({ specReplicas: 1, readyReplicas: 1 });
    });

    it('writes conditionally with a resourceVersion, and a stale one is a ConflictError', async () => {
      // arrange
      cluster.addDeployment('shop', 'web', { replicas: 1 });
      const before = await adapter.readDeployment(target, 'shop', 'web');
      await adapter.scaleDeployment(target, 'shop', 'web', 2, before.resourceVersion);

      // act
      const stale = adapter.scaleDeployment(target, 'shop', 'web', 5, before.resourceVersion);

      // assert
      await expect(stale).rejects.toBeInstanceOf(ConflictError);
      expect(cluster.deployment('shop', 'web')?.spec.replicas).toBe(2);
    });

    it('reports a missing deployment as ResourceNotFoundError, keeping the API error as cause', async () => {
      const error = await adapter.readDeployment(target, 'shop', 'nope').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResourceNotFoundError);
      expect((error as Error).message).toContain('deployments.apps "nope" not found');
      expect((error as Error).cause).toMatchObject({ code: 404 });
    });
  });

  describe('backups', () => {
    it('lists the backups of one schedule, by its label', async () => {
      // arrange
      const startedAt = new Date('2026-03-01T02:00:00Z');
      const completedAt = new Date('2026-03-01T02:05:00Z');
      cluster.addBackup({ namespace: 'velero', name: 'nightly-20260301020000', scheduleName: 'nightly', phase: 'Completed', startedAt, completedAt });
      cluster.addBackup({ namespace: 'velero', name: 'nightly-20260228020000', scheduleName: 'nightly', phase: 'PartiallyFailed' });
      cluster.addBackup({ namespace: 'velero', name: 'hourly-20260301110000', scheduleName: 'hourly', phase: 'Completed' });
      cluster.addBackup({ namespace: 'velero', name: 'by-hand', phase: 'Completed' });

      // act
      const backups = await adapter.listBackups(target, 'velero', 'nightly');

      // assert
      expect(backups).toEqual([
        { name: 'nightly-20260228020000', phase: 'PartiallyFailed', scheduleName: 'nightly' },
        { name: 'nightly-20260301020000', phase: 'Completed', scheduleName: 'nightly', startedAt, completedAt },
      ]);
    });

    it('follows continue tokens when a schedule has more backups than one page', async () => {
      for (let i = 0; i < 260; i++) {
        cluster.addBackup({ namespace: 'velero', name: `hourly-${String(i).padStart(3, '0')}`, scheduleName: 'hourly', phase: 'Completed' });
      }

      const backups = await adapter.listBackups(target, 'velero', 'hourly');

      expect(backups).toHaveLength(260);
      expect(new Set(backups.map((b) => b.name)).size).toBe(260);
      expect(cluster.requests.filter((r) => r.path.endsWith('/backups'))).toHaveLength(2);
    });
  });

  describe('restores', () => {
    beforeEach(() => {
      cluster.addBackup({ namespace: 'velero', name: 'nightly-1', scheduleName: 'nightly', phase: 'Completed' });
    });

    it('creates a Restore once; creating it again answers exists', async () => {
      const request = { name: 'failover-inc-42', backupName: 'nightly-1', includedNamespaces: ['shop'], labels: { 'lifeboat.io/incident': 'inc-42' } };

      const first = await adapter.createRestore(target, 'velero', request);
      const second = await adapter.createRestore(target, 'velero', request);

      expect([first, second]).toEqual(['created', 'exists']);
      expect(cluster.stats.restoresCreated).toBe(1);
      const [stored] = cluster.restores('velero');
      expect(stored).toMatchObject({
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        metadata: { name: 'failover-inc-42', namespace: 'velero', labels: { 'lifeboat.io/incident': 'inc-42' } },
        spec: { backupName: 'nightly-1', includedNamespaces: ['shop'] },
      });
    });

    it('asks the API server for strict field validation', async () => {
      await adapter.createRestore(target, 'velero', { name: 'r1', backupName: 'nightly-1' });

      const post = cluster.requests.find((r) => r.method === 'POST');
      expect(new URLSearchParams(post?.query).get('fieldValidation')).toBe('Strict');
    });

    it('follows the restore through its phases over virtual time', async () => {
      // arrange
      await adapter.createRestore(target, 'velero', { name: 'r1', backupName: 'nightly-1' });
      const read = () => adapter.readRestore(target, 'velero', 'r1');

      // act + assert
      expect(await read()).toMatchObject({ name: 'r1', backupName: 'nightly-1', phase: 'New', warnings: 0, errors: 0, validationErrors: [] });
      clock.advance(1 * SECOND);
      expect(await read()).toMatchObject({ phase: 'InProgress', startedAt: new Date('2026-03-01T12:00:01Z') });
      expect((await read()).completedAt).toBeUndefined();
      clock.advance(118 * SECOND);
      expect((await read()).phase).toBe('Finalizing');
      clock.advance(1 * SECOND);
      expect(await read()).toMatchObject({ phase: 'Completed', errors: 0, completedAt: new Date('2026-03-01T12:02:00Z') });
    });

    it('reports a PartiallyFailed outcome with its counts', async () => {
      cluster.setRestoreOutcome({ phase: 'PartiallyFailed', errors: 2, warnings: 5 });
      await adapter.createRestore(target, 'velero', { name: 'r1', backupName: 'nightly-1' });

      clock.advanceSeconds(120);

      expect(await adapter.readRestore(target, 'velero', 'r1')).toMatchObject({ phase: 'PartiallyFailed', errors: 2, warnings: 5 });
    });

    it('reports a Failed outcome with its failure reason', async () => {
      cluster.setRestoreOutcome({ phase: 'Failed', failureReason: 'error downloading backup: NoSuchKey' });
      await adapter.createRestore(target, 'velero', { name: 'r1', backupName: 'nightly-1' });

      clock.advanceSeconds(120);

      expect(await adapter.readRestore(target, 'velero', 'r1')).toMatchObject({ phase: 'Failed', failureReason: 'error downloading backup: NoSuchKey' });
    });

    it('fails validation when the backup does not exist, as Velero does', async () => {
      await adapter.createRestore(target, 'velero', { name: 'r1', backupName: 'nope' });

      clock.advanceSeconds(1);

      expect(await adapter.readRestore(target, 'velero', 'r1')).toMatchObject({
        phase: 'FailedValidation',
        validationErrors: ['Error retrieving backup: backups.velero.io "nope" not found'],
      });
    });

    it.each([
      ['a name that is not a DNS-1123 subdomain', { name: 'Failover_42', backupName: 'nightly-1' }, 'metadata.name'],
      ['a label value with a space', { name: 'r1', backupName: 'nightly-1', labels: { incident: 'inc 42' } }, 'metadata.labels'],
    ])('rejects %s with InvalidChangeError and stores nothing', async (_case, request, field) => {
      const error = await adapter.createRestore(target, 'velero', request).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(InvalidChangeError);
      expect((error as Error).message).toContain('HTTP 422 Invalid');
      expect((error as Error).message).toContain(field);
      expect(cluster.restores()).toEqual([]);
      expect(cluster.stats.restoresCreated).toBe(0);
    });

    it('reports a missing restore as ResourceNotFoundError', async () => {
      await expect(adapter.readRestore(target, 'velero', 'nope')).rejects.toBeInstanceOf(ResourceNotFoundError);
    });
  });

  describe('failures', () => {
    beforeEach(() => {
      cluster.addDeployment('shop', 'web', { replicas: 1 });
      cluster.addBackup({ namespace: 'velero', name: 'nightly-1', scheduleName: 'nightly', phase: 'Completed' });
    });

    it.each([
      [429, ThrottledError],
      [500, DependencyUnavailableError],
      [409, ConflictError],
    ] as const)('maps an injected %d on a scale write to %p', async (status, errorClass) => {
      cluster.injectFault({ method: 'PUT', pathIncludes: '/scale', status, times: 1 });

      await expect(adapter.scaleDeployment(target, 'shop', 'web', 2)).rejects.toBeInstanceOf(errorClass);
      await expect(adapter.scaleDeployment(target, 'shop', 'web', 2)).resolves.toBeUndefined();
    });

    it.each([
      [429, ThrottledError],
      [500, DependencyUnavailableError],
    ] as const)('maps an injected %d on a read to %p', async (status, errorClass) => {
      cluster.injectFault({ method: 'GET', pathIncludes: '/restores/', status, times: 2 });
      await adapter.createRestore(target, 'velero', { name: 'r1', backupName: 'nightly-1' });

      await expect(adapter.readRestore(target, 'velero', 'r1')).rejects.toBeInstanceOf(errorClass);
      await expect(adapter.readRestore(target, 'velero', 'r1')).rejects.toBeInstanceOf(errorClass);
      await expect(adapter.readRestore(target, 'velero', 'r1')).resolves.toMatchObject({ name: 'r1' });
    });

    it('treats a 409 Conflict on create as a ConflictError, not as "exists"', async () => {
      cluster.injectFault({ method: 'POST', pathIncludes: '/restores', status: 409, times: 1 });

      await expect(adapter.createRestore(target, 'velero', { name: 'r1', backupName: 'nightly-1' })).rejects.toBeInstanceOf(ConflictError);
    });

    it.each([
      ['no token', async () => ''],
      ['a garbage token', async () => 'garbage'],
      ['a token for STS without the cluster header', async () => 'k8s-aws-v1.' + Buffer.from('https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Signature=x&X-Amz-SignedHeaders=host&X-Amz-Expires=60&X-Amz-Date=20260301T120000Z').toString('base64url')],
      ['an expired token', () => createEksToken({ cluster: 'blue', region: 'eu-west-1', credentials, now: new Date('2026-03-01T11:40:00Z'), env: {} })],
    ])('answers %s with PermissionDeniedError', async (_case, badToken) => {
      token = badToken;

      await expect(adapter.readDeployment(target, 'shop', 'web')).rejects.toBeInstanceOf(PermissionDeniedError);
    });

    it('connects again after the server refused the token', async () => {
      const goodToken = token;
      token = async () => 'garbage';
      await expect(adapter.readDeployment(target, 'shop', 'web')).rejects.toBeInstanceOf(PermissionDeniedError);

      token = goodToken;

      await expect(adapter.readDeployment(target, 'shop', 'web')).resolves.toMatchObject({ name: 'web' });
      expect(connects).toBe(2);
    });

    it('reports an unreachable API server as DependencyUnavailableError', async () => {
      await cluster.close();

      await expect(adapter.readDeployment(target, 'shop', 'web')).rejects.toBeInstanceOf(DependencyUnavailableError);
    });

    it('reports a failed connection as DependencyUnavailableError and tries again next time', async () => {
      const failing = new KubernetesAdapter({ connect: async () => Promise.reject(new Error('DescribeCluster timed out')), clock });

      await expect(failing.readDeployment(target, 'shop', 'web')).rejects.toBeInstanceOf(DependencyUnavailableError);
      await expect(failing.readDeployment(target, 'shop', 'web')).rejects.toMatchObject({ cause: { message: 'DescribeCluster timed out' } });
    });
  });

  describe('tokens', () => {
    it('reuses one connection per target until the token is due for renewal', async () => {
      cluster.addDeployment('shop', 'web', { replicas: 1 });
      await adapter.readDeployment(target, 'shop', 'web');
      clock.advanceSeconds(9 * 60);
      await adapter.readDeployment(target, 'shop', 'web');
      expect(connects).toBe(1);

      clock.advanceSeconds(7 * 60);
      await adapter.readDeployment(target, 'shop', 'web');

      expect(connects).toBe(2);
    });

    it('would be refused with a token older than 15 minutes (why it renews)', async () => {
      cluster.addDeployment('shop', 'web', { replicas: 1 });
      const neverRenews = adapterWith({ tokenRefreshSeconds: 24 * 3600 });
      await neverRenews.readDeployment(target, 'shop', 'web');

      clock.advanceSeconds(16 * 60);

      await expect(neverRenews.readDeployment(target, 'shop', 'web')).rejects.toBeInstanceOf(PermissionDeniedError);
    });

    it('keeps separate connections for separate targets', async () => {
      cluster.addDeployment('shop', 'web', { replicas: 1 });

      await adapter.readDeployment(target, 'shop', 'web');
      await adapter.readDeployment({ region: 'eu-central-1', cluster: 'green' }, 'shop', 'web');

      expect(connects).toBe(2);
    });
  });
});
