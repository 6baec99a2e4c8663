import schemas from './velero-crd-schemas.json' with { type: 'json' };
import type { StructuralSchema } from './structural-schema.js';

/**
 * A custom resource type the stand-in serves, with the `openAPIV3Schema` its CRD declares.
 * The schemas are an embedded copy of Velero v1.18's CRDs (`config/crd/v1/bases`), converted
 * once from YAML; a test holds the copy equal to the reference CRDs, so it cannot drift silently.
 */
export interface CustomResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  schema: StructuralSchema;
}

export const VELERO_GROUP = 'velero.io';

/** The embedded `openAPIV3Schema`s, by kind. */
export const VELERO_CRD_SCHEMAS: Readonly<Record<'Restore' | 'Backup', StructuralSchema>> = schemas;

export const RESTORES: CustomResourceType = {
  group: VELERO_GROUP,
  version: 'v1',
  kind: 'Restore',
  listKind: 'RestoreList',
  plural: 'restores',
  schema: VELERO_CRD_SCHEMAS.Restore,
};

export const BACKUPS: CustomResourceType = {
  group: VELERO_GROUP,
  version: 'v1',
  kind: 'Backup',
  listKind: 'BackupList',
  plural: 'backups',
  schema: VELERO_CRD_SCHEMAS.Backup,
};

/** Label Velero puts on backups made by a Schedule. */
export const SCHEDULE_NAME_LABEL = 'velero.io/schedule-name';
