import { describe, expect, it } from 'vitest';
import { resumeCommand } from './resume-command.js';

describe('resumeCommand', () => {
  it('repeats the --set flags, quoting what a shell would split or expand', () => {
    expect(resumeCommand({ file: 'pipelines/auth0-to-zitadel.yaml' })).toBe('idflow run pipelines/auth0-to-zitadel.yaml');
    expect(
      resumeCommand({ file: 'my pipeline.yaml', setFlags: ['sink.with.batchSize=250', 'transforms.0.with.mask=$x y', "dlq.path=it's.ndjson", 'sink.with.auth.pat=***'] }),
    ).toBe(
      "idflow run 'my pipeline.yaml' --set sink.with.batchSize=250 --set 'transforms.0.with.mask=$x y' --set 'dlq.path=it'\\''s.ndjson' --set 'sink.with.auth.pat=***'",
    );
  });
});
