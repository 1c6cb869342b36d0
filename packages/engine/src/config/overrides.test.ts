import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applySetOverrides, parseSetOverride } from './overrides.js';

describe('parseSetOverride', () => {
  it('splits a dotted path with numeric indices and reads the value as YAML', () => {
    expect(parseSetOverride('transforms.0.with.mask=***')).toEqual({ text: 'transforms.0.with.mask=***', path: ['transforms', 0, 'with', 'mask'], raw: '***', value: '***' });
    expect(parseSetOverride('concurrency=8')).toMatchObject({ value: 8 });
    expect(parseSetOverride('sink.with.gzip=false')).toMatchObject({ value: false });
    expect(parseSetOverride('plugins=[./a.js, b]')).toMatchObject({ value: ['./a.js', 'b'] });
    expect(parseSetOverride('name=a: b')).toMatchObject({ value: 'a: b' });
    expect(parseSetOverride('name=')).toMatchObject({ value: '' });
    expect(parseSetOverride('url=http://x/?a=b')).toMatchObject({ path: ['url'], value: 'http://x/?a=b' });
  });
  it('keeps a whole number a JavaScript number cannot hold as its text (ids are strings)', () => {
    expect(parseSetOverride('sink.with.orgId=200000000000000001')).toMatchObject({ raw: '200000000000000001', value: '200000000000000001' });
    expect(parseSetOverride('sink.with.orgId=12345')).toMatchObject({ raw: '12345', value: 12345 });
  });
  it('refuses arguments without a path', () => {
    expect(parseSetOverride('concurrency')).toEqual({ problem: '--set "concurrency": expected path=value, e.g. sink.with.path=out.ndjson' });
    expect(parseSetOverride('=3')).toHaveProperty('problem');
    expect(parseSetOverride('sink..path=x')).toEqual({ problem: '--set "sink..path=x": empty segment in path "sink..path"' });
  });
});

describe('applySetOverrides', () => {
  const yaml = 'name: a\nsource:\n  use: ndjson\n  with:\ntransforms:\n  - use: redact\n    with: { fields: [email] }\nsink: { use: ndjson, with: { path: out } }\n';

  it('replaces existing keys, creates missing ones, fills an empty with: block', () => {
    const doc = parseDocument(yaml);
    const result = applySetOverrides(doc, ['sink.with.path=other.ndjson', 'source.with.path=in.ndjson', 'transforms.0.with.mask=#', 'concurrency=4']);
    expect(result.problems).toEqual([]);
    expect(result.applied.map((o) => o.path.join('.'))).toEqual(['sink.with.path', 'source.with.path', 'transforms.0.with.mask', 'concurrency']);
    expect(doc.toJS()).toMatchObject({
      source: { with: { path: 'in.ndjson' } },
      transforms: [{ use: 'redact', with: { fields: ['email'], mask: '#' } }],
      sink: { with: { path: 'other.ndjson' } },
      concurrency: 4,
    });
  });
  it('lets a later override win', () => {
    const doc = parseDocument(yaml);
    applySetOverrides(doc, ['concurrency=2', 'concurrency=3']);
    expect(doc.toJS().concurrency).toBe(3);
  });
  it('refuses to go below a scalar', () => {
    const doc = parseDocument(yaml);
    expect(applySetOverrides(doc, ['name.first=x', 'transforms.mask=y']).problems).toEqual([
      '--set "name.first=x": "name" is not a map or list, so it has no "first"',
      '--set "transforms.mask=y": "transforms" is not a map or list, so it has no "mask"',
    ]);
  });
});
