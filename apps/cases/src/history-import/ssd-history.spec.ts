import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSsdHistory, teamIdOf } from './ssd-history';
import { ssdDate, ssdFlag } from './ssd-tables';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'ssd');

function fixture(): Record<string, string> {
  return Object.fromEntries(readdirSync(FIXTURE).map((file) => [file.replace(/\.csv$/, ''), readFileSync(join(FIXTURE, file), 'utf8')]));
}

describe('readSsdHistory: a council extract in the Standard Safeguarding Dataset shape', () => {
  const history = readSsdHistory(fixture());
  const family = (id: string) => history.families.find((f) => f.familyId === id)!;

  it('groups children into families (one case each) from ssd_family, opened the first day a child held a status, by who held it then', () => {
    expect(history.families.map((f) => [f.familyId, f.children.map((c) => c.personId)])).toEqual([
      ['FAM-HOLT', ['P001', 'P002']],
      ['FAM-STONE', ['P003']],
    ]);
    expect(family('FAM-HOLT').allocation).toMatchObject({ teamId: 'north-team-1', workerId: 'sw.alex', on: '2026-01-05' });
    expect(family('FAM-HOLT').openedOn).toBe('2026-01-05');
    expect(family('FAM-STONE').children[0]).toMatchObject({ firstName: 'Cara', dateOfBirth: '2020-01-12', sex: 'female' });
  });

  it('turns plans, legal statuses, visits, reviews and re-allocations into facts in date order', () => {
    const facts = family('FAM-HOLT').facts.map((f) => [
      f.on,
      f.type,
      'personId' in f ? f.personId : f.workerId,
      'basis' in f ? f.basis : undefined,
    ]);
    expect(family('FAM-HOLT').openingStatuses.map((f) => [f.personId, f.status, f.basis])).toEqual([
      ['P002', 'child-in-need', undefined],
      ['P001', 'looked-after', 'interim-care-order'],
    ]);
    expect(facts).toEqual([
      ['2026-01-09', 'visit', 'P001', undefined],
      ['2026-02-01', 'visit', 'P002', undefined],
      ['2026-02-02', 'review-held', 'P001', undefined],
      ['2026-02-20', 'visit', 'P001', undefined],
      ['2026-04-01', 'visit', 'P002', undefined],
      ['2026-07-01', 're-allocated', 'sw.sam', undefined],
      ['2026-08-14', 'status-ended', 'P001', 'interim-care-order'],
      ['2026-08-14', 'status-started', 'P001', 'care-order'],
    ]);
    expect(family('FAM-STONE').openedOn).toBe('2026-02-01');
    expect(family('FAM-STONE').facts.map((f) => [f.on, f.type, 'status' in f ? f.status : undefined])).toEqual([
      ['2026-03-31', 'status-ended', 'child-in-need'],
      ['2026-03-31', 'status-started', 'child-protection-plan'],
    ]);
  });

  it('reports each row it cannot use with the field at fault, and keeps the others', () => {
    const report = history.rows.map((r) => [r.table, r.line, r.outcome, r.problems.map((p) => p.field).join(',')]);
    expect(report).toEqual(
      expect.arrayContaining([
        ['ssd_person', 5, 'rejected', 'pers_dob'],
        ['ssd_person', 6, 'rejected', 'pers_dob'],
        ['ssd_family', 5, 'rejected', 'fami_person_id'],
        ['ssd_legal_status', 4, 'rejected', 'lega_legal_status'],
        ['ssd_cin_visits', 4, 'rejected', 'cinv_cin_visit_seen'],
        ['ssd_cla_reviews', 3, 'skipped', 'clar_cla_review_cancelled'],
      ]),
    );
    expect(report).toHaveLength(6);
    expect(history.tableProblems).toEqual([]);
  });

  it('refuses a table that lacks a column it needs, and one it does not read, without losing the rest', () => {
    const files = fixture();
    const result = readSsdHistory({ ...files, ssd_cp_plans: 'cppl_cp_plan_id,cppl_person_id\nCP1,P003\n', ssd_placements: 'x\n1\n' });
    expect(result.tableProblems.map((p) => p.table)).toEqual(['ssd_placements', 'ssd_cp_plans']);
    expect(result.tableProblems[1].problem).toMatch(/cppl_cp_plan_start_date/);
    expect(result.families).toHaveLength(2);
  });

  it('reads initial conferences (with their outcome) and placements (by period of care) as facts of the child', () => {
    const result = readSsdHistory({
      ssd_person: 'pers_person_id,pers_dob\nP1,2015-01-01\nP2,2016-01-01\n',
      ssd_family: 'fami_family_id,fami_person_id\nF1,P1\nF1,P2\n',
      ssd_involvements:
        'invo_person_id,invo_professional_id,invo_professional_team,invo_involvement_start_date\nP1,sw.a,North 1,2026-01-05\n',
      ssd_cp_plans: 'cppl_person_id,cppl_cp_plan_start_date\nP1,2026-01-05\n',
      ssd_legal_status: 'lega_person_id,lega_legal_status,lega_legal_status_start_date\nP2,V2,2026-01-05\n',
      ssd_initial_cp_conference:
        'icpc_person_id,icpc_icpc_date,icpc_icpc_outcome_cp_flag\nP1,2026-01-26,\nP1,2026-02-02,N\nP1,2026-02-03,maybe\n',
      ssd_cla_episodes: 'clae_person_id,clae_cla_id\nP2,CLA1\n',
      ssd_cla_placement: 'clap_cla_id,clap_cla_placement_start_date\nCLA1,2026-01-05\nCLA9,2026-01-06\n',
    });
    expect(result.families[0].facts.map((f) => [f.on, f.type, 'personId' in f && f.personId, 'outcome' in f && f.outcome])).toEqual([
      ['2026-01-05', 'placement-started', 'P2', false],
      ['2026-01-26', 'review-held', 'P1', 'plan'],
      ['2026-02-02', 'review-held', 'P1', 'no-plan'],
    ]);
    expect(result.rows.map((r) => [r.table, r.line, r.problems.map((p) => p.field)])).toEqual([
      ['ssd_initial_cp_conference', 4, ['icpc_icpc_outcome_cp_flag']],
      ['ssd_cla_placement', 3, ['clap_cla_id']],
    ]);
  });

  it('needs ssd_person, which names the children', () => {
    expect(readSsdHistory({}).tableProblems).toEqual([{ table: 'ssd_person', problem: 'ssd_person is required: it names the children' }]);
  });

  it('reads the dates and flags extracts write', () => {
    expect(['2026-03-04', '2026-03-04 00:00:00.000', '2026-03-04T10:00:00', '04/03/2026', '4/3/2026'].map(ssdDate)).toEqual(
      Array(5).fill('2026-03-04'),
    );
    expect(['2026-02-29', '31/04/2026', 'March 4', ''].map(ssdDate)).toEqual([undefined, undefined, undefined, undefined]);
    expect(ssdDate('2028-02-29')).toBe('2028-02-29');
    expect(['Y', 'n', '1', '0', 'true', '', 'x'].map(ssdFlag)).toEqual([true, false, true, false, true, undefined, 'invalid']);
    expect([teamIdOf('North Team 1'), teamIdOf('  CP / Court '), teamIdOf('***')]).toEqual(['north-team-1', 'cp-court', undefined]);
  });
});
