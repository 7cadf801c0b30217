import { Injectable, NotFoundException } from '@nestjs/common';
import { UnitOfWork } from '@plo/messaging';
import { ChronologyStore } from './chronology.store';
import { ChronologyView } from './chronology.views';

@Injectable()
export class ChronologyService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: ChronologyStore,
  ) {}

  /** One child's chronology, oldest first; 404 when the child is not on the case. */
  async of(caseId: string, childId: string): Promise<ChronologyView> {
    return this.unitOfWork.transaction(async (tx) => {
      const subject = await this.store.subject(tx, caseId, childId);
      if (!subject) throw new NotFoundException(`case ${caseId} has no child ${childId}`);
      return { caseId, childId, ...subject, entries: await this.store.entries(tx, caseId, childId) };
    });
  }
}
