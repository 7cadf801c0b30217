import { Injectable, NotFoundException } from '@nestjs/common';
import { UnitOfWork } from '@plo/messaging';
import { canSeeCase, Principal } from '@plo/platform';
import { CaseFacts, factsOfCase, factsOfPreProceedings, factsOfProceedings } from './access.store';

/** People who run the PLO for a case: the council's legal team and the case's managers. */
export const PLO_WRITERS = ['legal', 'team-manager', 'service-manager'] as const;
/** Who may read a case's PLO records (object-level rules still apply): also the case's social workers and administrators. */
export const PLO_READERS = [...PLO_WRITERS, 'social-worker', 'administrator'] as const;

/**
 * Object-level checks for single records. A record the caller may not see does not exist for them
 * (404, the same answer as for an unknown id), so its existence is not revealed either.
 */
@Injectable()
export class PloAccess {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  static sees(principal: Principal, facts: CaseFacts): boolean {
    if (principal.kind === 'service') return principal.councilId === facts.councilId;
    return canSeeCase(principal, facts);
  }

  async proceedings(principal: Principal, proceedingsId: string): Promise<void> {
    const facts = await this.unitOfWork.transaction((tx) => factsOfProceedings(tx, proceedingsId));
    if (!facts || !PloAccess.sees(principal, facts)) throw new NotFoundException(`proceedings ${proceedingsId} do not exist`);
  }

  async preProceedings(principal: Principal, preProceedingsId: string): Promise<void> {
    const facts = await this.unitOfWork.transaction((tx) => factsOfPreProceedings(tx, preProceedingsId));
    if (!facts || !PloAccess.sees(principal, facts)) throw new NotFoundException(`pre-proceedings ${preProceedingsId} do not exist`);
  }

  /**
   * Bringing a case into the PLO (pre-proceedings or issue): managers for their teams' cases, and the
   * council's legal team for any case of its council — that is how a case enters the PLO.
   */
  async caseToBringIntoPlo(principal: Principal, caseId: string): Promise<void> {
    const facts = await this.caseFacts(caseId);
    if (!facts || !PloAccess.sees(principal, { ...facts, inPlo: true }))
      throw new NotFoundException(`case ${caseId} is not known to the PLO service`);
  }

  async caseFacts(caseId: string): Promise<CaseFacts | undefined> {
    return this.unitOfWork.transaction((tx) => factsOfCase(tx, caseId));
  }
}
