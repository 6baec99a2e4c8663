// EKS access for the functions that talk to the Kubernetes API, in two halves:
//  - AWS side (CloudFormation): an AWS::EKS::AccessEntry per (function role, cluster) mapping the
//    role to a Kubernetes group of its own, no EKS access policy (no cluster-admin). An access entry
//    can only be created in the cluster's own region, so each stack creates the entries of the
//    clusters in its region for its own roles.
//  - Kubernetes side (RBAC): Roles and RoleBindings granting each group only what its function
//    does, in the namespaces the configuration names. `node serverless/eks-access.cjs [cluster…]`
//    prints them (deploy/eks-rbac.yaml holds the output for the example configuration).
// The clusters need authentication mode API or API_AND_CONFIG_MAP for access entries to apply.
const { stringify } = require('yaml');
const { appsIn, loadConfig, stackContext } = require('./lifeboat-config.cjs');

/** Function key → its Kubernetes group, and what that group may do (verbs per resource, as the code calls them). */
const KUBERNETES_ACCESS = {
  // listBackups: list backups.velero.io of the schedule (label selector) in the Velero namespace.
  preflight: { group: 'lifeboat-preflight', velero: [{ resources: ['backups'], verbs: ['list'] }] },
  // readDeployment (get deployments) and replaceNamespacedDeploymentScale (update deployments/scale), by name.
  scaleDeployments: { group: 'lifeboat-scale-deployments', deployments: true },
  // createRestore: create restores.velero.io (a name cannot scope a create).
  startRestore: { group: 'lifeboat-start-restore', velero: [{ resources: ['restores'], verbs: ['create'] }] },
  // readRestore: get restores.velero.io (names are derived per incident, unknown in advance).
  awaitRestore: { group: 'lifeboat-await-restore', velero: [{ resources: ['restores'], verbs: ['get'] }] },
  // The evacuation's preflight lists backups exactly as preflight does: the same group, no RBAC of its own.
  evacuationPreflight: { group: 'lifeboat-preflight', sharesGroupOf: 'preflight' },
};

const roleId = (fn) => `${fn[0].toUpperCase()}${fn.slice(1)}LambdaRole`;
const pascal = (name) => name.replace(/(^|[-_.])([a-zA-Z0-9])/g, (_, __, c) => c.toUpperCase());

/** The clusters of the stack's region (of the apps that run there). */
const clustersIn = (config, region) => appsIn(config, region).flatMap((app) => app.regions.filter((r) => r.name === region).map((r) => r.eks.cluster));

/** `{ Resources }` for serverless.yml: access entries for this region's clusters. */
async function resources(context) {
  const { config, region } = await stackContext(context);
  const Resources = {};
  for (const cluster of [...new Set(clustersIn(config, region))]) {
    for (const [fn, access] of Object.entries(KUBERNETES_ACCESS)) {
      Resources[`${pascal(fn)}AccessTo${pascal(cluster)}`] = {
        Type: 'AWS::EKS::AccessEntry',
        Properties: { ClusterName: cluster, PrincipalArn: { 'Fn::GetAtt': [roleId(fn), 'Arn'] }, Type: 'STANDARD', KubernetesGroups: [access.group] },
      };
    }
  }
  return { Resources };
}

const binding = (name, namespace) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'lifeboat' } },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name }],
});
const role = (name, namespace, rules) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'lifeboat' } }, rules });

/** The RBAC objects one cluster (one region of one app) needs. */
function rbacFor(region) {
  const objects = [];
  const byNamespace = new Map();
  for (const d of region.eks.deployments || []) byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) || []), d.name]);
  const scale = KUBERNETES_ACCESS.scaleDeployments.group;
  for (const [namespace, names] of byNamespace) {
    objects.push(
      role(scale, namespace, [
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: names, verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: names, verbs: ['update'] },
      ]),
      binding(scale, namespace),
    );
  }
  const velero = (region.velero && region.velero.namespace) || 'velero';
  for (const access of Object.values(KUBERNETES_ACCESS).filter((a) => a.velero && !a.sharesGroupOf)) {
    objects.push(role(access.group, velero, access.velero.map((rule) => ({ apiGroups: ['velero.io'], ...rule }))), binding(access.group, velero));
  }
  return objects;
}

/** The manifest for the named clusters (every configured cluster when none is named), one section per cluster. */
function rbacManifest(config, clusters = []) {
  const sections = (config.apps || []).flatMap((app) =>
    app.regions.filter((r) => clusters.length === 0 || clusters.includes(r.eks.cluster)).map((region) => ({ app, region })),
  );
  const header = [
    '# Kubernetes RBAC for Lifeboat: apply each cluster\'s section to that cluster only, e.g.',
    '#   node serverless/eks-access.cjs payments-usw2 | kubectl --context payments-usw2 apply -f -',
    '# The groups are the ones the stack\'s EKS access entries map the function roles to.',
    '# Generated from lifeboat.config.yaml by `node serverless/eks-access.cjs > deploy/eks-rbac.yaml`.',
  ].join('\n');
  const body = sections.map(({ app, region }) =>
    [`# ---- cluster ${region.eks.cluster} (${app.name}, ${region.name})`, ...rbacFor(region).map((object) => `---\n${stringify(object, { aliasDuplicateObjects: false }).trimEnd()}`)].join('\n'),
  );
  return `${header}\n${body.join('\n')}\n`;
}

if (require.main === module) process.stdout.write(rbacManifest(loadConfig(), process.argv.slice(2)));

module.exports = { KUBERNETES_ACCESS, clustersIn, resources, rbacFor, rbacManifest };
