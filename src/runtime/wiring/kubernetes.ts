import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { createEksToken } from '../../adapters/k8s/eks-token.js';
import { KubernetesAdapter } from '../../adapters/k8s/kubernetes-adapter.js';
import { ResourceNotFoundError } from '../../domain/errors.js';
import { systemClock } from '../../ports/clock.js';
import { clockOption, perRuntime, runtimeOptions } from '../runtime-options.js';
import { eksClusters } from './eks.js';

/**
 * Production wiring of the Kubernetes port: endpoint and CA from EKS, a bearer token from STS
 * presigning. The only wiring that reaches a Kubernetes API server.
 */
export const eksKubernetes = perRuntime(() => {
  const eks = eksClusters();
  const clock = clockOption() ?? systemClock;
  const credentials = runtimeOptions().credentials ?? defaultProvider();
  return new KubernetesAdapter({
    clock,
    connect: async (target) => {
      const cluster = await eks.describeCluster(target.region, target.cluster);
      if (!cluster.endpoint) throw new ResourceNotFoundError(`cluster ${target.cluster} in ${target.region} has no API endpoint (status ${cluster.status})`);
      const token = await createEksToken({ cluster: target.cluster, region: target.region, credentials, now: clock.now() });
      return { server: cluster.endpoint, caData: cluster.certificateAuthority, token };
    },
  });
});
