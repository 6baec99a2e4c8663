import { EKSClient } from '@aws-sdk/client-eks';
import { EksClusters } from '../../adapters/aws/eks-clusters.js';
import { decorated, perRuntime, perRuntimeKeyed, SDK_CLIENT_OPTIONS } from '../runtime-options.js';

const eksClient = perRuntimeKeyed((region) => decorated(new EKSClient({ region, ...SDK_CLIENT_OPTIONS })));

/** EKS clusters and node groups, through one client per region. */
export const eksClusters = perRuntime(() => new EksClusters({ eks: eksClient }));
