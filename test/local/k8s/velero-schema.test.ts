import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { VELERO_CRD_SCHEMAS } from '../../../src/local/k8s/velero-resources.js';

// Only this test reads the reference CRDs; the product uses its embedded copy.
const REFERENCE = path.resolve(process.cwd(), '../shared/reference/velero');

interface Crd {
  spec: { names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: unknown } }> };
}

function referenceSchema(file: string): { kind: string; schema: unknown } {
  const crd = parse(readFileSync(path.join(REFERENCE, file), 'utf8')) as Crd;
  const v1 = crd.spec.versions.find((version) => version.name === 'v1');
  if (!v1) throw new Error(`${file} has no v1 version`);
  return { kind: crd.spec.names.kind, schema: v1.schema.openAPIV3Schema };
}

describe('the embedded Velero CRD schemas', () => {
  // If this fails after a Velero upgrade, regenerate src/local/k8s/velero-crd-schemas.json from the
  // new CRDs: { "<Kind>": spec.versions[name=v1].schema.openAPIV3Schema } for restores and backups.
  it.each(['velero.io_restores.yaml', 'velero.io_backups.yaml'])('are the openAPIV3Schema of v1 in %s', (file) => {
    const { kind, schema } = referenceSchema(file);

    expect(VELERO_CRD_SCHEMAS[kind as 'Restore' | 'Backup']).toEqual(schema);
  });
});
