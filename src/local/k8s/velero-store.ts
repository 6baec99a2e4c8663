import type { Clock } from '../../ports/clock.js';
import { admitCustomResource, type AdmittedObject } from './admission.js';
import { alreadyExists, notFound, rfc3339 } from './k8s-status.js';
import type { LabelMatcher } from './label-selector.js';
import { normaliseOutcome, restoreStatusAt, type RestoreOutcome, type RestorePlan } from './restore-lifecycle.js';
import { BACKUPS, RESTORES, SCHEDULE_NAME_LABEL, type CustomResourceType } from './velero-resources.js';

/** A Backup to seed, as Velero would have recorded it. */
export interface BackupSeed {
  namespace: string;
  name: string;
  scheduleName?: string;
  phase: string;
  startedAt?: Date;
  completedAt?: Date;
}

export type KubeObject = AdmittedObject['object'];

interface StoredObject {
  object: KubeObject;
  /** Only restores that Velero will process have a plan. */
  plan?: RestorePlan;
}

type Spec = Record<string, unknown>;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function labelsOf(object: KubeObject): Record<string, string> {
  return (object.metadata.labels ?? {}) as Record<string, string>;
}

/** Velero's `collections.ValidateIncludesExcludes`, for namespaces. */
function includesExcludesErrors(includes: string[], excludes: string[]): string[] {
  const errors: string[] = [];
  if (includes.length > 1 && includes.includes('*')) errors.push("includes list must either contain '*' only, or a non-empty list of items");
  if (excludes.includes('*')) errors.push("excludes list cannot contain '*'");
  for (const item of excludes) {
    if (includes.includes(item)) errors.push(`excludes list cannot contain an item in the includes list: ${item}`);
  }
  return errors.map((error) => `Invalid included/excluded namespace lists: ${error}`);
}

/**
 * Backups and Restores (velero.io/v1) of one stand-in cluster. Creation goes through the same
 * admission as the API server's; a Restore's status is computed on each read from its plan
 * and the clock, so virtual time drives Velero's restore controller with no timers.
 */
export class VeleroStore {
  private readonly objects = new Map<string, StoredObject>();
  private outcome: RestoreOutcome = { phase: 'Completed' };

  constructor(
    private readonly clock: Clock,
    private readonly restoreSeconds: number,
    private readonly nextResourceVersion: () => string,
    private readonly newUid: () => string,
  ) {}

  /** Applies to restores created after this call; a restore's fate is fixed at creation. */
  setRestoreOutcome(outcome: RestoreOutcome): void {
    this.outcome = normaliseOutcome(outcome);
  }

  /** Seeds a Backup; it is admitted like any other, so a bad seed fails loudly here. */
  addBackup(seed: BackupSeed): void {
    const body = {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        name: seed.name,
        namespace: seed.namespace,
        labels: {
          'velero.io/storage-location': 'default',
          ...(seed.scheduleName ? { [SCHEDULE_NAME_LABEL]: seed.scheduleName } : {}),
        },
      },
      spec: { storageLocation: 'default', ttl: '720h0m0s', includedNamespaces: ['*'], defaultVolumesToFsBackup: false },
      status: {
        phase: seed.phase,
        version: 1,
        formatVersion: '1.1.0',
        ...(seed.startedAt ? { startTimestamp: rfc3339(seed.startedAt) } : {}),
        ...(seed.completedAt ? { completionTimestamp: rfc3339(seed.completedAt) } : {}),
        ...(seed.startedAt ? { expiration: rfc3339(new Date(seed.startedAt.getTime() + 720 * 3600 * 1000)) } : {}),
      },
    };
    this.create(BACKUPS, seed.namespace, admitCustomResource(BACKUPS, seed.namespace, body, 'Strict').object);
  }

  /** Stores an admitted object (AlreadyExists if the name is taken); a new Restore gets its plan. */
  create(type: CustomResourceType, namespace: string, object: KubeObject): KubeObject {
    const name = object.metadata.name;
    const key = `${type.plural}/${namespace}/${name}`;
    if (this.objects.has(key)) throw alreadyExists(type, name);
    const now = this.clock.now();
    object.metadata = {
      ...object.metadata,
      uid: this.newUid(),
      resourceVersion: this.nextResourceVersion(),
      generation: 1,
      creationTimestamp: rfc3339(now),
    };
    const stored: StoredObject = { object };
    const phase = (object.status as { phase?: unknown } | undefined)?.phase;
    // Velero's controller only takes up restores whose phase is empty or New.
    if (type === RESTORES && (phase === undefined || phase === '' || phase === 'New')) {
      stored.plan = {
        createdAt: now,
        validationErrors: this.validateRestore(namespace, (object.spec ?? {}) as Spec),
        outcome: this.outcome,
        restoreSeconds: this.restoreSeconds,
      };
    }
    this.objects.set(key, stored);
    return this.present(stored);
  }

  get(type: CustomResourceType, namespace: string, name: string): KubeObject {
    const stored = this.objects.get(`${type.plural}/${namespace}/${name}`);
    if (!stored) throw notFound(type, name);
    return this.present(stored);
  }

  /** In namespace and name order, as etcd returns them; every namespace when `namespace` is undefined. */
  list(type: CustomResourceType, namespace: string | undefined, matches: LabelMatcher = () => true): KubeObject[] {
    const prefix = namespace === undefined ? `${type.plural}/` : `${type.plural}/${namespace}/`;
    return [...this.objects.entries()]
      .filter(([key, stored]) => key.startsWith(prefix) && matches(labelsOf(stored.object)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, stored]) => this.present(stored));
  }

  private present(stored: StoredObject): KubeObject {
    const copy = structuredClone(stored.object);
    if (stored.plan) copy.status = restoreStatusAt(stored.plan, this.clock.now());
    return copy;
  }

  /** The checks of Velero's restore controller (`validateAndComplete`) that depend on the cluster. */
  private validateRestore(namespace: string, spec: Spec): string[] {
    const errors = includesExcludesErrors(strings(spec.includedNamespaces), strings(spec.excludedNamespaces));
    const backupName = typeof spec.backupName === 'string' ? spec.backupName : '';
    const scheduleName = typeof spec.scheduleName === 'string' ? spec.scheduleName : '';
    if ((backupName === '') === (scheduleName === '')) {
      return [...errors, 'Either a backup or schedule must be specified as a source for the restore, but not both'];
    }
    let source = backupName;
    if (scheduleName) {
      const backups = this.list(BACKUPS, namespace, (labels) => labels[SCHEDULE_NAME_LABEL] === scheduleName);
      if (backups.length === 0) errors.push('No backups found for schedule');
      const latest = backups
        .filter((backup) => (backup.status as { phase?: string } | undefined)?.phase === 'Completed')
        .sort((a, b) => String((b.status as Spec).startTimestamp ?? '').localeCompare(String((a.status as Spec).startTimestamp ?? '')))[0];
      if (!latest) return [...errors, 'No completed backups found for schedule'];
      source = latest.metadata.name;
    }
    if (!this.objects.has(`${BACKUPS.plural}/${namespace}/${source}`)) {
      errors.push(`Error retrieving backup: ${BACKUPS.plural}.${BACKUPS.group} "${source}" not found`);
    }
    return errors;
  }
}
