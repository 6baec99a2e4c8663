import { describe, expect, it } from '@jest/globals';
import { withObjectMeta } from '../../../src/local/k8s/admission.js';
import { prune, unknownFields, validate, type StructuralSchema } from '../../../src/local/k8s/structural-schema.js';
import { VELERO_CRD_SCHEMAS } from '../../../src/local/k8s/velero-resources.js';

const restore = withObjectMeta(VELERO_CRD_SCHEMAS.Restore);

function paths(value: unknown, schema: StructuralSchema = restore): string[] {
  return validate(value, schema).map((issue) => issue.path);
}

describe('validate', () => {
  it('accepts a well-formed Restore', () => {
    const body = {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'r1' },
      spec: { backupName: 'b1', includedNamespaces: ['shop'], existingResourcePolicy: null, restorePVs: true },
      status: { phase: 'Completed', startTimestamp: '2026-03-01T12:00:00Z', warnings: 2 },
    };

    expect(validate(body, restore)).toEqual([]);
  });

  it('reports every problem at once, each with its field path', () => {
    const body = {
      spec: {
        backupName: 7,
        includedNamespaces: ['shop', 3],
        hooks: { resources: [{ postHooks: [{ exec: { command: [], onError: 'Retry' } }] }] },
        namespaceMapping: { shop: true },
      },
      status: { phase: 'Bogus', startTimestamp: 'yesterday', errors: 1.5 },
    };

    const issues = validate(body, restore);

    expect(issues.map((issue) => [issue.path, issue.reason])).toEqual([
      ['spec.backupName', 'FieldValueTypeInvalid'],
      ['spec.includedNamespaces[1]', 'FieldValueTypeInvalid'],
      ['spec.hooks.resources[0].name', 'FieldValueRequired'],
      ['spec.hooks.resources[0].postHooks[0].exec.command', 'FieldValueInvalid'],
      ['spec.hooks.resources[0].postHooks[0].exec.onError', 'FieldValueNotSupported'],
      ['spec.namespaceMapping[shop]', 'FieldValueTypeInvalid'],
      ['status.phase', 'FieldValueNotSupported'],
      ['status.startTimestamp', 'FieldValueInvalid'],
      ['status.errors', 'FieldValueTypeInvalid'],
    ]);
  });

  it('words problems as the API server does', () => {
    const [typeIssue] = validate({ spec: { backupName: 7 } }, restore);
    const [enumIssue] = validate({ status: { phase: 'Bogus' } }, restore);
    const [requiredIssue] = validate({ spec: { hooks: { resources: [{}] } } }, restore);

    expect(typeIssue?.message).toBe('spec.backupName: Invalid value: "integer": spec.backupName in body must be of type string: "integer"');
    expect(enumIssue?.message).toMatch(/^status\.phase: Unsupported value: "Bogus": supported values: "New", "FailedValidation", /);
    expect(requiredIssue?.message).toBe('spec.hooks.resources[0].name: Required value');
  });

  it('accepts null only where the schema says nullable', () => {
    expect(paths({ spec: { includedNamespaces: null } })).toEqual([]);
    expect(paths({ spec: { hooks: { resources: [{ name: 'h', postHooks: [{ exec: { command: ['x'], onError: null } }] }] } } })).toEqual([
      'spec.hooks.resources[0].postHooks[0].exec.onError',
    ]);
  });

  it('lets anything through under x-kubernetes-preserve-unknown-fields', () => {
    const initContainers = [{ name: 'restore-wait', image: 'busybox', anything: { goes: [1, 2] } }];
    const body = { spec: { hooks: { resources: [{ name: 'h', postHooks: [{ init: { initContainers } }] }] } } };

    expect(paths(body)).toEqual([]);
    expect(unknownFields(body, restore)).toEqual([]);
  });

  it.each([
    [8080, true],
    ['http', true],
    [1.5, false],
    [true, false],
  ])('takes %p as int-or-string: %p', (value, ok) => {
    const schema: StructuralSchema = { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true } } };

    expect(paths({ port: value }, schema)).toEqual(ok ? [] : ['port']);
  });

  it('checks additionalProperties, items and bounds', () => {
    const schema: StructuralSchema = {
      type: 'object',
      properties: {
        limits: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
        tags: { type: 'array', maxItems: 2, items: { type: 'string', maxLength: 3, pattern: '^[a-z]+$' } },
      },
    };

    expect(paths({ limits: { cpu: -1, mem: 'x' }, tags: ['ok', 'TOOLONG', 'z'] }, schema)).toEqual([
      'limits[cpu]',
      'limits[mem]',
      'tags',
      'tags[1]',
      'tags[1]',
    ]);
  });
});

describe('unknownFields and prune', () => {
  const body = {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: { name: 'r1', owner: 'me' },
    spec: { backupName: 'b1', bogus: 1, labelSelector: { matchLabels: { app: 'web' }, matchFields: {} }, existingResourcePolicy: null },
    status: { phase: 'New', extra: true, warnings: null },
    top: 'level',
  };

  it('names every field the schema does not declare', () => {
    expect(unknownFields(body, restore)).toEqual(['metadata.owner', 'spec.bogus', 'spec.labelSelector.matchFields', 'status.extra', 'top']);
  });

  it('drops unknown fields and nulls the schema does not allow, and keeps the rest', () => {
    expect(prune(body, restore)).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'r1' },
      spec: { backupName: 'b1', labelSelector: { matchLabels: { app: 'web' } }, existingResourcePolicy: null },
      status: { phase: 'New' },
    });
  });
});
