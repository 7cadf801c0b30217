import { readSsdHistory } from '../../apps/cases/src/history-import/ssd-history';
import { ssdExtract, teamName } from '../simulation/ssd-extract';
import { Fact, generateWorld, HISTORY_UNTIL } from '../simulation/world';

/** The council year's history as an SSD extract: everything typed in by the cut, each fact once, read by the import without a problem. */
describe('council year: the history as a Standard Safeguarding Dataset extract', () => {
  const world = generateWorld({ seed: 20270331, children: 300, perChild: true });
  const extract = ssdExtract(world, HISTORY_UNTIL);
  const history = world.facts.filter((f) => f.enteredOn <= HISTORY_UNTIL);

  it('puts every fact typed in by the cut in exactly one place: the import, the APIs after it, or (a closed plan’s CIN reviews) nowhere', () => {
    const viaApi = new Set(extract.viaApi.map((f) => f.id));
    for (const f of history)
      expect([extract.imported.has(f.id), viaApi.has(f.id), extract.dropped.has(f.id)].filter(Boolean)).toHaveLength(1);
    expect(extract.imported.size + viaApi.size + extract.dropped.size).toBe(history.length);
    // Only what the SSD has no table for goes through the APIs: proceedings, CIN reviews, and conferences convened but not yet held.
    expect([...new Set(extract.viaApi.map((f) => ('kind' in f ? `${f.type}:${f.kind}` : f.type)))].sort()).toEqual(
      expect.arrayContaining(['proceedings-issued', 'review-held:cin-review', 'review-scheduled:cin-review']),
    );
    for (const f of extract.viaApi)
      expect([
        'proceedings-issued',
        'child-joined-proceedings',
        'final-hearing-listed',
        'final-hearing-moved',
        'final-hearing-adjourned',
        'review-scheduled',
        'review-held',
      ]).toContain(f.type);
    expect(extract.viaApi.filter((f) => 'kind' in f && !['cin-review', 'icpc'].includes(f.kind))).toEqual([]);
    expect(extract.viaApi.filter((f) => f.type === 'review-held' && f.kind === 'icpc')).toEqual([]);
  });

  it('leaves a conference convened but never held to the APIs, per child, even when a sibling’s conference of the same day was held', () => {
    for (const seed of [7, 20270331]) {
      const w = generateWorld({ seed, children: 300, perChild: true });
      const x = ssdExtract(w, HISTORY_UNTIL);
      const typed = w.facts.filter((f) => f.enteredOn <= HISTORY_UNTIL);
      const held = (f: Fact & { type: 'review-scheduled' }) =>
        typed.some((h) => h.type === 'review-held' && h.reviewKey === f.reviewKey && h.children.join() === f.children.join());
      const icpcs = typed.filter((f): f is Fact & { type: 'review-scheduled' } => f.type === 'review-scheduled' && f.kind === 'icpc');
      for (const f of icpcs) expect([f.id, x.viaApi.includes(f)]).toEqual([f.id, !held(f)]);
    }
    // Seed 7's case127: child4 left the plan for care before the conference the other three had.
    const x7 = ssdExtract(generateWorld({ seed: 7, children: 300, perChild: true }), HISTORY_UNTIL);
    expect(x7.viaApi.some((f) => f.type === 'review-scheduled' && f.kind === 'icpc' && f.children.join() === 'case127.child4')).toBe(true);
  });

  it('reads as one family per case opened by the cut, every row used, teams named so they slug to the managers’ team ids', () => {
    const read = readSsdHistory(extract.tables);
    expect(read.tableProblems).toEqual([]);
    expect(read.rows).toEqual([]);
    expect(read.families.map((f) => f.familyId).sort()).toEqual(
      world.cases.filter((c) => c.openedOn <= HISTORY_UNTIL).map((c) => c.reference),
    );
    expect(new Set(read.families.map((f) => f.allocation.teamId))).toEqual(new Set(world.teams.map((t) => t.id)));
    expect(teamName('fostering-6')).toBe('Fostering 6');
  });
});
