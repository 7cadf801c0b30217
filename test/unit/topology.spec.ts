import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExternalParties, services, Topology } from '@plo/contracts';
import { serviceMigrations } from '@plo/messaging';
import { ARCHITECTURE_FILE, renderArchitecture } from '../../scripts/asyncapi';

const ROOT = join(__dirname, '..', '..');

/** Who produces to and consumes from a topic, by the one declaration. */
function declared(topic: string): { producers: string[]; consumers: string[] } {
  const parties = [
    ...services().map((s) => ({ name: s.serviceName, produces: [...s.produces], consumes: s.consumes.map((c) => c.topic) })),
    ...ExternalParties.map((p) => ({ name: p.name, produces: [...p.produces], consumes: [...p.consumes] })),
  ];
  return {
    producers: parties
      .filter((p) => p.produces.includes(topic))
      .map((p) => p.name)
      .sort(),
    consumers: parties
      .filter((p) => p.consumes.includes(topic))
      .map((p) => p.name)
      .sort(),
  };
}

/** The README's event catalogue: topic → "producers → consumers" as written. */
function readmeEventTable(): Map<string, { producers: string[]; consumers: string[] }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Event catalogue'));
  const rows = new Map<string, { producers: string[]; consumers: string[] }>();
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    const topic = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    const flow = cells[3]?.split('→').map((side) =>
      side
        .split(',')
        .map((name) => name.trim())
        .sort(),
    );
    if (topic && flow?.length === 2) rows.set(topic, { producers: flow[0], consumers: flow[1] });
  }
  return rows;
}

describe('the topology is declared once, and everything that describes it follows', () => {
  it("the README's event table names, for every topic, the producers and consumers the declaration has", () => {
    const table = readmeEventTable();
    const topics = new Set([...services().flatMap((s) => [...s.produces, ...s.consumes.map((c) => c.topic)])]);
    expect([...table.keys()].filter((topic) => !topic.includes('<')).sort()).toEqual([...topics].sort());
    for (const topic of topics) expect({ topic, ...table.get(topic) }).toEqual({ topic, ...declared(topic) });
    expect(table.get('plo.dead-letter.<consumer>.v1')).toEqual({ producers: ['each consumer'], consumers: ['operators'] });
  });

  it('docs/architecture.md draws the topology as declared (npm run asyncapi redraws it)', () => {
    const current = readFileSync(join(ROOT, ARCHITECTURE_FILE), 'utf8');
    expect(renderArchitecture(current)).toBe(current);
    for (const service of services()) expect(current).toContain(`${service.serviceName}[${service.serviceName} service]`);
  });

  it('every service produces to at least one topic, and its first is where its events go by default', () => {
    expect(Topology.cases.produces[0]).toBe('plo.cases.events.v1');
    expect(Topology.plo.produces[0]).toBe('plo.proceedings.events.v1');
    expect(Topology.alerting.produces[0]).toBe('plo.alerts.events.v1');
  });
});

describe('serviceMigrations', () => {
  class Own1764100000100 {}
  class Later1764100000500 {}
  it("puts the libraries' migrations and the service's own in the order of their timestamps", () => {
    const names = serviceMigrations([Later1764100000500, Own1764100000100]).map((m) => m.name);
    expect(names).toEqual([
      'MessagingTables1764100000000',
      'AuditLog1764100000050',
      'Own1764100000100',
      'OutboxBatches1764100000400',
      'OutboxBatchLines1764100000410',
      'DeadLetterCouncils1764100000420',
      'Later1764100000500',
    ]);
  });

  it('refuses a migration whose name does not end with its timestamp, rather than guess its place', () => {
    class Undated {}
    expect(() => serviceMigrations([Undated])).toThrow(/Undated does not end with its 13-digit timestamp/);
  });
});
