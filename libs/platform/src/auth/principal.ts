/**
 * Who may act. A person has roles; a system (a court's listing service, say) has scopes. A
 * `platform-operator` runs the services for every council (their dead letters, say) and sees no
 * casework; every other role acts within its token's council.
 */
export const ROLES = [
  'social-worker',
  'team-manager',
  'service-manager',
  'legal',
  'administrator',
  'platform-operator',
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  kind: 'user' | 'service';
  councilId: string;
  teamIds: string[];
  roles: Role[];
  scopes: string[];
}

/** What a case looks like to an access decision: who it belongs to, and whether it is in the PLO. */
export interface CaseAccessFacts {
  councilId: string;
  teamId: string;
  allocatedWorkerId: string;
  /**
   * Legal may see the case: any of its children has ever had legal involvement (pre-proceedings or
   * care proceedings, from PLO's legal-involvement-started). The name is the first release's.
   */
  inPlo: boolean;
}

/**
 * Object-level access to one case (OWASP API1). A principal never sees another council's cases;
 * within a council: social workers see cases allocated to them or their team, managers their teams,
 * legal the cases in the PLO, administrators all (and every access is audited).
 */
export function canSeeCase(principal: Principal, facts: CaseAccessFacts): boolean {
  if (principal.councilId !== facts.councilId) return false;
  return principal.roles.some((role) => {
    switch (role) {
      case 'administrator':
        return true;
      case 'service-manager':
      case 'team-manager':
        return principal.teamIds.includes(facts.teamId);
      case 'social-worker':
        return facts.allocatedWorkerId === principal.subject || principal.teamIds.includes(facts.teamId);
      case 'legal':
        return facts.inPlo;
      case 'platform-operator':
      case 'service':
        return false;
    }
  });
}

/**
 * The same rule as a SQL condition, so lists, searches and exports filter in the database rather than
 * after fetching. Column names are the caller's; parameters are appended to `parameters`.
 */
export function caseVisibilitySql(
  principal: Principal,
  columns: { councilId: string; teamId: string; allocatedWorkerId: string; inPlo: string },
  parameters: unknown[],
): string {
  const param = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const council = `${columns.councilId} = ${param(principal.councilId)}`;
  const alternatives: string[] = [];
  for (const role of principal.roles) {
    if (role === 'administrator') alternatives.push('TRUE');
    if (role === 'service-manager' || role === 'team-manager')
      alternatives.push(`${columns.teamId} = ANY(${param(principal.teamIds)}::text[])`);
    if (role === 'social-worker') {
      alternatives.push(
        `${columns.allocatedWorkerId} = ${param(principal.subject)}`,
        `${columns.teamId} = ANY(${param(principal.teamIds)}::text[])`,
      );
    }
    if (role === 'legal') alternatives.push(columns.inPlo);
  }
  return alternatives.length ? `(${council} AND (${alternatives.join(' OR ')}))` : 'FALSE';
}

/** Who did it, as recorded on every event and audit row (the shape of `Actor` in libs/contracts). */
export function actorOf(principal: Pick<Principal, 'kind' | 'subject'>): { kind: 'user' | 'service'; id: string } {
  return { kind: principal.kind, id: principal.subject };
}
