import { CaseAccessFacts, canSeeCase, caseVisibilitySql, Principal } from './principal';

const inNorth: CaseAccessFacts = { councilId: 'bury', teamId: 'north-1', allocatedWorkerId: 'sw.alex', inPlo: false };
const person = (roles: Principal['roles'], overrides: Partial<Principal> = {}): Principal => ({
  subject: 'someone',
  kind: 'user',
  councilId: 'bury',
  teamIds: [],
  roles,
  scopes: [],
  ...overrides,
});

describe('canSeeCase', () => {
  it.each([
    ['the allocated worker', person(['social-worker'], { subject: 'sw.alex' }), inNorth, true],
    ['a worker in the same team', person(['social-worker'], { teamIds: ['north-1'] }), inNorth, true],
    ['a worker in another team', person(['social-worker'], { teamIds: ['south-2'] }), inNorth, false],
    ['the team manager', person(['team-manager'], { teamIds: ['north-1'] }), inNorth, true],
    ['another team’s manager', person(['team-manager'], { teamIds: ['south-2'] }), inNorth, false],
    ['a service manager over the team', person(['service-manager'], { teamIds: ['north-1', 'south-2'] }), inNorth, true],
    ['legal, for a case not in the PLO', person(['legal']), inNorth, false],
    ['legal, for a case in the PLO', person(['legal']), { ...inNorth, inPlo: true }, true],
    ['an administrator of the council', person(['administrator']), inNorth, true],
    ['an administrator of another council', person(['administrator'], { councilId: 'leeds' }), inNorth, false],
    [
      'the allocated worker’s namesake in another council',
      person(['social-worker'], { subject: 'sw.alex', councilId: 'leeds' }),
      inNorth,
      false,
    ],
    ['a service principal', person(['service'], { kind: 'service', scopes: ['hearings:write'] }), inNorth, false],
    ['a platform operator, who runs the services but reads no casework', person(['platform-operator']), inNorth, false],
  ])('%s → %s', (_who, principal, facts, expected) => {
    expect(canSeeCase(principal, facts)).toBe(expected);
  });
});

describe('caseVisibilitySql', () => {
  const columns = { councilId: 'c.council_id', teamId: 'c.team_id', allocatedWorkerId: 'c.worker', inPlo: 'c.in_plo' };

  it('always confines to the principal’s council and numbers parameters after the caller’s', () => {
    const parameters: unknown[] = ['already-there'];
    const sql = caseVisibilitySql(person(['team-manager'], { teamIds: ['north-1'] }), columns, parameters);
    expect(sql).toBe('(c.council_id = $2 AND (c.team_id = ANY($3::text[])))');
    expect(parameters).toEqual(['already-there', 'bury', ['north-1']]);
  });

  it('shows nothing to a principal with no case role', () => {
    expect(caseVisibilitySql(person(['service'], { kind: 'service' }), columns, [])).toBe('FALSE');
    expect(caseVisibilitySql(person(['platform-operator']), columns, [])).toBe('FALSE');
  });
});
