import { Transaction } from '@plo/messaging';
import { caseVisibilitySql, Principal } from '@plo/platform';

/** What decides whether someone may see a case's PLO records. */
export interface CaseFacts {
  councilId: string;
  teamId: string;
  allocatedWorkerId: string;
  inPlo: boolean;
}

/**
 * THE rule for `legal` (platform's `CaseAccessFacts.inPlo`): a case is visible once PLO has announced
 * legal involvement for any child of it (`legal-involvement-started`: pre-proceedings, a gateway
 * decision of any kind, or care proceedings). Cases and alerting follow exactly those events, and
 * nothing is deleted from the table, so a case that was visible stays visible in all three services.
 */
export function inPloSql(caseIdColumn: string): string {
  return `EXISTS (SELECT 1 FROM legal_involvements li WHERE li.case_id = ${caseIdColumn})`;
}

/**
 * The object-level rule (OWASP API1) as a SQL condition on `known_cases` under `alias`, so lists and
 * feeds filter in the database. A service principal (a court system) sees its own council's cases,
 * and only through the routes its scopes open.
 */
export function visibleCasesSql(
  principal: Pick<Principal, 'subject' | 'councilId' | 'teamIds' | 'roles' | 'kind'>,
  alias: string,
  parameters: unknown[],
): string {
  if (principal.kind === 'service') {
    parameters.push(principal.councilId);
    return `${alias}.council_id = $${parameters.length}`;
  }
  return caseVisibilitySql(
    principal as Principal,
    {
      councilId: `${alias}.council_id`,
      teamId: `${alias}.team_id`,
      allocatedWorkerId: `${alias}.allocated_worker_id`,
      inPlo: inPloSql(`${alias}.case_id`),
    },
    parameters,
  );
}

const FACTS = `k.council_id AS "councilId", k.team_id AS "teamId", k.allocated_worker_id AS "allocatedWorkerId", ${inPloSql('k.case_id')} AS "inPlo"`;

export async function factsOfProceedings(tx: Transaction, proceedingsId: string): Promise<CaseFacts | undefined> {
  const [facts] = await tx.query<CaseFacts>(
    `SELECT ${FACTS} FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id WHERE p.id = $1`,
    [proceedingsId],
  );
  return facts;
}

export async function factsOfPreProceedings(tx: Transaction, preProceedingsId: string): Promise<CaseFacts | undefined> {
  const [facts] = await tx.query<CaseFacts>(
    `SELECT ${FACTS} FROM pre_proceedings pp JOIN known_cases k ON k.case_id = pp.case_id WHERE pp.id = $1`,
    [preProceedingsId],
  );
  return facts;
}

export async function factsOfCase(tx: Transaction, caseId: string): Promise<CaseFacts | undefined> {
  const [facts] = await tx.query<CaseFacts>(`SELECT ${FACTS} FROM known_cases k WHERE k.case_id = $1`, [caseId]);
  return facts;
}
