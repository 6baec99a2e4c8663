/** Which cluster to talk to; the adapter finds its endpoint and credentials. */
export interface KubeTarget {
  region: string;
  cluster: string;
}

export interface DeploymentState {
  namespace: string;
  name: string;
  specReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  /** metadata.generation vs status.observedGeneration: whether the controller saw the spec yet. */
  generation: number;
  observedGeneration: number;
  resourceVersion: string;
}

export interface BackupInfo {
  name: string;
  phase: string; // velero.io/v1 Backup status.phase
  scheduleName?: string; // label velero.io/schedule-name
  startedAt?: Date;
  completedAt?: Date;
}

export interface RestoreRequest {
  name: string;
  backupName: string;
  includedNamespaces?: string[];
  labels?: Record<string, string>;
}

export interface RestoreInfo {
  name: string;
  backupName: string;
  phase: string; // '' until Velero picks it up, then New | InProgress | ... | Completed | PartiallyFailed | Failed | FailedValidation
  warnings: number;
  errors: number;
  failureReason?: string;
  validationErrors: string[];
  startedAt?: Date;
  completedAt?: Date;
}

export interface Kubernetes {
  readDeployment(target: KubeTarget, namespace: string, name: string): Promise<DeploymentState>;
  /** Sets spec.replicas through the scale subresource; with `resourceVersion`, only if unchanged (409 otherwise). */
  scaleDeployment(target: KubeTarget, namespace: string, name: string, replicas: number, resourceVersion?: string): Promise<void>;
  listBackups(target: KubeTarget, veleroNamespace: string, scheduleName: string): Promise<BackupInfo[]>;
  /** Creates a velero.io/v1 Restore; `exists` when one of that name is already there (409 AlreadyExists). */
  createRestore(target: KubeTarget, veleroNamespace: string, restore: RestoreRequest): Promise<'created' | 'exists'>;
  readRestore(target: KubeTarget, veleroNamespace: string, name: string): Promise<RestoreInfo>;
}
