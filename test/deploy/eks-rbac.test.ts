import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const { rbacManifest, KUBERNETES_ACCESS } = require('../../serverless/eks-access.cjs') as { rbacManifest: (config: unknown, clusters?: string[]) => string; KUBERNETES_ACCESS: Record<string, { group: string }> };
const { loadConfig } = require('../../serverless/lifeboat-config.cjs') as { loadConfig: () => { apps: { regions: { eks: { cluster: string; deployments: { namespace: string; name: string }[] }; velero: { namespace?: string } }[] }[] } };

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }
type K8sObject = { kind: string; metadata: { name: string; namespace: string }; rules?: Rule[]; subjects?: { kind: string; name: string }[]; roleRef?: { kind: string; name: string } };

const config = loadConfig();
const committed = readFileSync('deploy/eks-rbac.yaml', 'utf8');
const objects = parseAllDocuments(committed).map((doc) => doc.toJS() as K8sObject).filter(Boolean);

describe('deploy/eks-rbac.yaml', () => {
  it('is what serverless/eks-access.cjs generates from lifeboat.config.yaml (regenerate: node serverless/eks-access.cjs > deploy/eks-rbac.yaml)', () => {
    expect(committed).toBe(rbacManifest(config));
  });

  it('holds namespaced Roles and RoleBindings only, no wildcard, no cluster-wide grant', () => {
    expect([...new Set(objects.map((o) => o.kind))].sort()).toEqual(['Role', 'RoleBinding']);
    const rules = objects.flatMap((o) => o.rules ?? []);
    expect(JSON.stringify(rules)).not.toContain('*');
    for (const o of objects) expect(o.metadata.namespace).toBeTruthy();
  });

  it('binds each role to the group of the same name that the EKS access entries map the function roles to', () => {
    const groups = Object.values(KUBERNETES_ACCESS).map((a) => a.group);
    for (const binding of objects.filter((o) => o.kind === 'RoleBinding')) {
      expect(binding.roleRef).toMatchObject({ kind: 'Role', name: binding.metadata.name });
      expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: binding.metadata.name }]);
      expect(groups).toContain(binding.metadata.name);
    }
  });

  it('lets the scaler get and scale only the configured Deployments, in their namespaces', () => {
    const byNamespace = new Map<string, Set<string>>();
    for (const region of config.apps.flatMap((app) => app.regions)) for (const d of region.eks.deployments) byNamespace.set(d.namespace, new Set([...(byNamespace.get(d.namespace) ?? []), d.name]));
    const scalers = objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'lifeboat-scale-deployments');
    expect(scalers.length).toBeGreaterThan(0);
    for (const role of scalers) {
      const names = [...byNamespace.get(role.metadata.namespace)!];
      expect(role.rules).toEqual([
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: expect.arrayContaining([]), verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: expect.arrayContaining([]), verbs: ['update'] },
      ]);
      for (const rule of role.rules!) for (const name of rule.resourceNames!) expect(names).toContain(name);
    }
  });

  it('lets the Velero roles list backups, create restores and get restores, in the Velero namespace only', () => {
    const veleroNamespaces = new Set(config.apps.flatMap((app) => app.regions.map((r) => r.velero.namespace ?? 'velero')));
    const velero = objects.filter((o) => o.kind === 'Role' && o.metadata.name !== 'lifeboat-scale-deployments');
    const grants = new Set(velero.flatMap((o) => o.rules!.map((r) => `${o.metadata.name} ${r.apiGroups} ${r.resources} ${r.verbs}`)));
    expect([...grants].sort()).toEqual(['lifeboat-await-restore velero.io restores get', 'lifeboat-preflight velero.io backups list', 'lifeboat-start-restore velero.io restores create']);
    for (const o of velero) expect(veleroNamespaces).toContain(o.metadata.namespace);
  });
});
