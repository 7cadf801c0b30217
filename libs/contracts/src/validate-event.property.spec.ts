import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { createEnvelope, EventEnvelope } from './envelope';
import { findEventDefinition } from './event-registry';
import { EventTypes } from './events';
import { decodeEvent } from './validate-event';

/**
 * Consumers validate with a schema compiled from the classes; the classes' own decorators are the
 * reference. Whatever a message looks like, both must reach the same verdict.
 */
function referenceVerdict(candidate: Record<string, unknown>): boolean {
  if (validateSync(plainToInstance(EventEnvelope, candidate)).length) return false;
  const definition = findEventDefinition(String(candidate.type));
  if (!definition) return false;
  if (typeof candidate.data !== 'object' || candidate.data === null) return false;
  const data = candidate.data as Record<string, unknown>;
  if ('caseId' in data && data.caseId !== candidate.subject) return false;
  return validateSync(plainToInstance(definition.dataClass, candidate.data) as object).length === 0;
}

const caseId = randomUUID();
const metadata = { correlationId: randomUUID(), actor: { kind: 'user' as const, id: 'sw.alex' } };
const samples = [
  createEnvelope('urn:plo:cases', EventTypes.caseClosed, caseId, { caseId, closedOn: '2026-11-20', reason: 'stepped down' }, metadata),
  createEnvelope(
    'urn:plo:cases',
    EventTypes.obligationScheduled,
    caseId,
    {
      obligationId: randomUUID(),
      caseId,
      councilId: 'bury',
      childId: randomUUID(),
      kind: 'visit',
      ruleId: 'cp-visit',
      dueDate: '2024-02-29',
      explanation: '10 working days after …',
      responsible: { teamId: 'north-1', workerId: 'sw.alex' },
    },
    metadata,
  ),
  createEnvelope(
    'urn:plo:proceedings',
    EventTypes.proceedingsIssued,
    caseId,
    {
      caseId,
      proceedingsId: randomUUID(),
      court: 'Manchester',
      courtCaseNumber: 'MA26C00123',
      issuedOn: '2025-01-06',
      submittedOn: '2025-01-06',
      children: [{ childId: randomUUID(), completionDate: '2025-07-06', hmctsDisplayDate: '2025-07-07' }],
      caseCompletionDate: '2025-07-06',
    },
    metadata,
  ),
];

const oddValues = fc.constantFrom<unknown>(
  '',
  'x',
  0,
  12,
  -1,
  1.5,
  true,
  false,
  [],
  {},
  [{}],
  ['a'],
  '2026-02-30',
  '2026-02-28',
  '2023-02-29',
  '0050-01-01',
  '2026-11-26T12:00:00Z',
  '2026-11-26T12:00:00',
  'not-a-uuid',
  randomUUID(),
  'x'.repeat(2000),
  '1.0',
  'application/json',
  'urn:plo:cases',
  'uk.gov.plo.cases.case-closed.v1',
  'user',
  'robot',
);

/** Every path to a value in a JSON object, e.g. ['data', 'children', 0, 'childId']. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<any>((current, key) => current?.[key], value);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mutate(original: object, path: (string | number)[], replacement: unknown, remove: boolean): Record<string, unknown> {
  const copy = structuredClone(original) as Record<string, unknown>;
  if (!path.length) return copy;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1];
  if (remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

describe('compiled event schemas agree with the contract classes', () => {
  it('on the unchanged samples', () => {
    for (const sample of samples) {
      expect(referenceVerdict(sample as unknown as Record<string, unknown>)).toBe(true);
      expect(decodeEvent(JSON.stringify(sample)).valid).toBe(true);
    }
  });

  it('on any single-field change', () => {
    const change = fc.tuple(fc.nat(samples.length - 1), fc.nat(), oddValues, fc.boolean());
    fc.assert(
      fc.property(change, ([which, pathIndex, value, remove]) => {
        const sample = samples[which];
        const all = paths(sample).filter((p) => p.length);
        const path = all[pathIndex % all.length];
        // class-validator's @ValidateNested accepts an array where one object is declared (it
        // validates each element); the compiled schema refuses it, deliberately — tested below.
        fc.pre(!(Array.isArray(value) && isPlainObject(valueAt(sample, path))));
        const mutated = mutate(sample, path, value, remove);
        expect(decodeEvent(JSON.stringify(mutated)).valid).toBe(referenceVerdict(mutated));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses an array where one nested object is declared', () => {
    expect(decodeEvent(JSON.stringify({ ...samples[0], actor: [] }))).toMatchObject({
      valid: false,
      reason: expect.stringContaining('actor'),
    });
    const [child] = (samples[2].data as { children: object[] }).children;
    const nested = { ...samples[2], data: { ...(samples[2].data as object), children: [[child]] } };
    expect(decodeEvent(JSON.stringify(nested))).toMatchObject({ valid: false, reason: expect.stringContaining('data.children.0') });
  });

  it('refuses an optional field sent as null: producers omit what they do not know', () => {
    const withNull = { ...samples[1], data: { ...(samples[1].data as object), childId: null } };
    expect(decodeEvent(JSON.stringify(withNull))).toMatchObject({ valid: false, reason: expect.stringContaining('data.childId') });
  });
});
