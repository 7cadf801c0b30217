import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';

/**
 * The AsyncAPI document is generated from the contracts (libs/contracts/src/asyncapi.spec.ts keeps it
 * current); here the official parser, which AsyncAPI's own tools use, reads it as a consumer's
 * tooling would, and must find nothing wrong with it.
 */
describe('libs/contracts/asyncapi.yaml, read by the official AsyncAPI parser', () => {
  it('parses with no error and no warning, and describes every channel the topology has', async () => {
    const text = readFileSync(join(__dirname, '..', '..', 'libs', 'contracts', 'asyncapi.yaml'), 'utf8');
    const { document, diagnostics } = await new Parser().parse(text);
    const findings = diagnostics.map(
      (d) => `${['error', 'warning', 'info', 'hint'][d.severity]} ${d.code} at ${d.path.join('.')}: ${d.message}`,
    );
    expect(findings.filter((f) => f.startsWith('error') || f.startsWith('warning'))).toEqual([]);
    expect(document).toBeDefined();
    const channels = document!
      .channels()
      .all()
      .map((channel) => channel.address());
    expect(channels).toEqual(
      expect.arrayContaining([
        'plo.cases.events.v1',
        'plo.proceedings.events.v1',
        'plo.court.hearing-updates.v1',
        'plo.dead-letter.alerting.v1',
      ]),
    );
    expect(document!.operations().all().length).toBeGreaterThan(8);
  }, 30_000);
});
