import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, CaseNoteAddedV1, CaseNoteAmendedV1, EventTypes } from '@plo/contracts';
import { Transaction, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, notFuture } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CaseChanges, UNDER_THE_CASE } from '../case/case-changes';
import { CaseStore } from '../case/case.store';
import { AddCaseNoteDto, AmendCaseNoteDto } from './case-notes.dto';
import { CaseNotesStore } from './case-notes.store';
import { CaseNoteView } from './case-notes.views';

/** Notes are appended, never edited: an amendment is the next version, and every version stays readable. */
@Injectable()
export class CaseNotesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly notes: CaseNotesStore,
    private readonly clock: Clock,
  ) {}

  async add(caseId: string, input: AddCaseNoteDto, actor: Actor): Promise<CaseNoteView> {
    const occurredOn = input.occurredOn ?? londonDateOf(this.clock.now());
    assertNoFieldProblems([notFuture('occurredOn', occurredOn, londonDateOf(this.clock.now()))]);
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change) => {
      const ofCase = await this.cases.childIds(change, caseId);
      const childIds = input.childIds ?? ofCase;
      assertNoFieldProblems(
        childIds.map(
          (id, i) => !ofCase.includes(id) && { field: `childIds.${i}`, message: `childIds.${i} ${id} is not a child on case ${caseId}` },
        ),
      );
      const noteId = randomUUID();
      await this.notes.insert(change, {
        noteId,
        version: 1,
        caseId,
        childIds,
        occurredOn,
        significant: input.significant,
        text: input.text,
        reason: null,
        authorId: actor.id,
      });
      const added: CaseNoteAddedV1 = { caseId, noteId, childIds, significant: input.significant, occurredOn, authorId: actor.id };
      change.emit(EventTypes.caseNoteAdded, added);
      return this.view(change, caseId, noteId);
    });
  }

  async amend(caseId: string, noteId: string, input: AmendCaseNoteDto, actor: Actor): Promise<CaseNoteView> {
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change) => {
      const latest = await this.notes.latest(change, caseId, noteId);
      if (!latest) throw new NotFoundException(`case ${caseId} has no note ${noteId}`);
      const next = {
        ...latest,
        version: latest.version + 1,
        text: input.text,
        significant: input.significant ?? latest.significant,
        reason: input.reason,
        authorId: actor.id,
      };
      await this.notes.insert(change, next);
      const amended: CaseNoteAmendedV1 = { caseId, noteId, version: next.version, significant: next.significant, authorId: actor.id };
      change.emit(EventTypes.caseNoteAmended, amended);
      return this.view(change, caseId, noteId);
    });
  }

  async list(caseId: string): Promise<CaseNoteView[]> {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return toViews(await this.notes.versions(tx, caseId));
    });
  }

  private async view(tx: Transaction, caseId: string, noteId: string): Promise<CaseNoteView> {
    const [note] = toViews(await this.notes.versions(tx, caseId, noteId));
    return note;
  }
}

/** Versions (grouped by note, oldest first) as notes showing their latest version. */
function toViews(versions: Awaited<ReturnType<CaseNotesStore['versions']>>): CaseNoteView[] {
  const notes = new Map<string, CaseNoteView>();
  for (const v of versions) {
    const note = notes.get(v.noteId) ?? {
      id: v.noteId,
      childIds: v.childIds,
      occurredOn: v.occurredOn,
      significant: false,
      text: '',
      versions: [],
    };
    Object.assign(note, { significant: v.significant, text: v.text });
    note.versions.push({
      version: v.version,
      text: v.text,
      significant: v.significant,
      reason: v.reason,
      authorId: v.authorId,
      recordedAt: v.recordedAt,
    });
    notes.set(v.noteId, note);
  }
  return [...notes.values()];
}
