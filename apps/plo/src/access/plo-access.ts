import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canSeeCase, caseVisibilitySql, Principal } from '@plo/platform';

/** People who run the PLO for a case: the council's legal team and the case's managers. */
export const PLO_WRITERS = ['legal', 'team-manager', 'service-manager'] as const;
/** Who may read a case's PLO records (object-level rules still apply): also the case's social workers and administrators. */
export const PLO_READERS = [...PLO_WRITERS, 'social-worker', 'administrator'] as const;


/** A case is "in the PLO" (legal sees it) while this service holds proceedings or pre-proceedings for it. */
export function inPloSql(caseIdColumn: string): string {
  return `(EXISTS (SELECT 1 FROM proceedings ip WHERE ip.case_id = ${caseIdColumn}) OR EXISTS (SELECT 1 FROM pre_proceedings ipp WHERE ipp.case_id = ${caseIdColumn}))`;
}

/**
 * The object-level rule (OWASP API1) as a SQL condition on `known_cases` under `alias`, so lists and
 * feeds filter in the database. A service principal (a court system) sees its own council's cases,
 * and only through the routes its scopes open.
 */
export function visibleCasesSql(principal: Pick<Principal, 'subject' | 'councilId' | 'teamIds' | 'roles' | 'kind'>, alias: string, parameters: unknown[]): string {
  if (principal.kind === 'service') {
    parameters.push(principal.councilId);
    return `${alias}.council_id = $${parameters.length}`;
  }
  return caseVisibilitySql(principal as Principal, { councilId: `${alias}.council_id`, teamId: `${alias}.team_id`, allocatedWorkerId: `${alias}.allocated_worker_id`, inPlo: inPloSql(`${alias}.case_id`) }, parameters);
}

interface CaseFacts {
  councilId: string;
  teamId: string;
  allocatedWorkerId: string;
  inPlo: boolean;
}

const FACTS = `k.council_id AS "councilId", k.team_id AS "teamId", k.allocated_worker_id AS "allocatedWorkerId", ${inPloSql('k.case_id')} AS "inPlo"`;

/**
 * Object-level checks for single records. A record the caller may not see does not exist for them
 * (404, the same answer as for an unknown id), so its existence is not revealed either.
 */
@Injectable()
export class PloAccess {
  constructor(private readonly dataSource: DataSource) {}

  static sees(principal: Principal, facts: CaseFacts): boolean {
    if (principal.kind === 'service') return principal.councilId === facts.councilId;
    return canSeeCase(principal, facts);
  }

  async proceedings(principal: Principal, proceedingsId: string): Promise<void> {
    const [facts] = await this.dataSource.query(`SELECT ${FACTS} FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id WHERE p.id = $1`, [proceedingsId]);
    if (!facts || !PloAccess.sees(principal, facts)) throw new NotFoundException(`proceedings ${proceedingsId} do not exist`);
  }

  async preProceedings(principal: Principal, preProceedingsId: string): Promise<void> {
    const [facts] = await this.dataSource.query(`SELECT ${FACTS} FROM pre_proceedings pp JOIN known_cases k ON k.case_id = pp.case_id WHERE pp.id = $1`, [preProceedingsId]);
    if (!facts || !PloAccess.sees(principal, facts)) throw new NotFoundException(`pre-proceedings ${preProceedingsId} do not exist`);
  }

  /**
   * Bringing a case into the PLO (pre-proceedings or issue): managers for their teams' cases, and the
   * council's legal team for any case of its council — that is how a case enters the PLO.
   */
  async caseToBringIntoPlo(principal: Principal, caseId: string): Promise<void> {
    const facts = await this.caseFacts(caseId);
    if (!facts || !PloAccess.sees(principal, { ...facts, inPlo: true })) throw new NotFoundException(`case ${caseId} is not known to the PLO service`);
  }

  async caseFacts(caseId: string): Promise<CaseFacts | undefined> {
    const [facts] = await this.dataSource.query(`SELECT ${FACTS} FROM known_cases k WHERE k.case_id = $1`, [caseId]);
    return facts;
  }
}
