import * as z from 'zod';
import { DependencyUnavailableError } from '../../domain/errors.js';
import type { BackupInfo, DeploymentState, RestoreInfo } from '../../ports/kubernetes.js';

/** The fields of an apps/v1 Deployment we read (the API server's JSON; everything else ignored). */
export interface KubeDeployment {
  metadata?: { name?: string; namespace?: string; generation?: number; resourceVersion?: string };
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number; observedGeneration?: number };
}

/** Label Velero puts on every backup a Schedule makes. */
export const SCHEDULE_NAME_LABEL = 'velero.io/schedule-name';

/**
 * A Deployment as the port sees it. The API server omits zero counts (Go `omitempty`), so a
 * missing status field is 0; a missing spec.replicas is the API default, 1.
 */
export function toDeploymentState(deployment: KubeDeployment, namespace: string, name: string): DeploymentState {
  const { metadata, spec, status } = deployment;
  return {
    namespace: metadata?.namespace ?? namespace,
    name: metadata?.name ?? name,
    specReplicas: spec?.replicas ?? 1,
    readyReplicas: status?.readyReplicas ?? 0,
    availableReplicas: status?.availableReplicas ?? 0,
    updatedReplicas: status?.updatedReplicas ?? 0,
    generation: metadata?.generation ?? 0,
    observedGeneration: status?.observedGeneration ?? 0,
    resourceVersion: metadata?.resourceVersion ?? '',
  };
}

// Custom objects arrive as plain JSON; these schemas read the fields we use and ignore the rest.
const timestamp = z.iso.datetime({ offset: true }).nullish();
const metadata = z.object({ name: z.string(), labels: z.record(z.string(), z.string()).nullish() });

const backupObject = z.object({
  metadata,
  status: z
    .object({ phase: z.string().nullish(), startTimestamp: timestamp, completionTimestamp: timestamp })
    .nullish(),
});

const restoreObject = z.object({
  metadata,
  spec: z.object({ backupName: z.string().nullish() }).nullish(),
  status: z
    .object({
      phase: z.string().nullish(),
      warnings: z.number().int().nullish(),
      errors: z.number().int().nullish(),
      failureReason: z.string().nullish(),
      validationErrors: z.array(z.string()).nullish(),
      startTimestamp: timestamp,
      completionTimestamp: timestamp,
    })
    .nullish(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new DependencyUnavailableError(`${what}: unexpected object from the API server: ${problems}`, { cause: result.error });
}

function date(value: string | null | undefined): Date | undefined {
  return value ? new Date(value) : undefined;
}

/** A velero.io/v1 Backup as the port sees it; `what` names it in errors. */
export function toBackupInfo(object: unknown, what: string): BackupInfo {
  const backup = parse(backupObject, object, what);
  const scheduleName = backup.metadata.labels?.[SCHEDULE_NAME_LABEL];
  return {
    name: backup.metadata.name,
    phase: backup.status?.phase ?? '',
    ...(scheduleName ? { scheduleName } : {}),
    ...(backup.status?.startTimestamp ? { startedAt: date(backup.status.startTimestamp) } : {}),
    ...(backup.status?.completionTimestamp ? { completedAt: date(backup.status.completionTimestamp) } : {}),
  };
}

/** A velero.io/v1 Restore as the port sees it: phase '' until Velero picks it up, zero counts when absent. */
export function toRestoreInfo(object: unknown, what: string): RestoreInfo {
  const restore = parse(restoreObject, object, what);
  const status = restore.status ?? {};
  return {
    name: restore.metadata.name,
    backupName: restore.spec?.backupName ?? '',
    phase: status.phase ?? '',
    warnings: status.warnings ?? 0,
    errors: status.errors ?? 0,
    ...(status.failureReason ? { failureReason: status.failureReason } : {}),
    validationErrors: status.validationErrors ?? [],
    ...(status.startTimestamp ? { startedAt: date(status.startTimestamp) } : {}),
    ...(status.completionTimestamp ? { completedAt: date(status.completionTimestamp) } : {}),
  };
}
