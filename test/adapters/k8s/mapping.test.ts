import { describe, expect, it } from '@jest/globals';
import { toBackupInfo, toDeploymentState, toRestoreInfo, type KubeDeployment } from '../../../src/adapters/k8s/mapping.js';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';

describe('mapping API objects to the port', () => {
  it('reads a restore Velero has not picked up yet as phase "" with zero counts', () => {
    expect(toRestoreInfo({ metadata: { name: 'r1' }, spec: { backupName: 'b1' } }, 'read restore')).toEqual({
      name: 'r1',
      backupName: 'b1',
      phase: '',
      warnings: 0,
      errors: 0,
      validationErrors: [],
    });
  });

  it('reads a backup without a schedule label or timestamps', () => {
    expect(toBackupInfo({ metadata: { name: 'b1' }, status: { phase: 'Completed', completionTimestamp: null } }, 'list')).toEqual({ name: 'b1', phase: 'Completed' });
  });

  it('defaults a deployment the API server sent with zero counts omitted', () => {
    const deployment = { metadata: { name: 'web', namespace: 'shop', generation: 3, resourceVersion: '7' }, spec: { replicas: 0 }, status: {} } as KubeDeployment;

    expect(toDeploymentState(deployment, 'shop', 'web')).toEqual({
      namespace: 'shop',
      name: 'web',
      specReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      updatedReplicas: 0,
      generation: 3,
      observedGeneration: 0,
      resourceVersion: '7',
    });
  });

  it('refuses an object of the wrong shape, naming the field', () => {
    const read = () => toRestoreInfo({ metadata: { name: 'r1' }, status: { errors: 'two' } }, 'read restore velero/r1');

    expect(read).toThrow(DependencyUnavailableError);
    expect(read).toThrow(/read restore velero\/r1: unexpected object from the API server: status\.errors: /);
  });
});
