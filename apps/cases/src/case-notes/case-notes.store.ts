import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';

export interface NoteVersion {
  noteId: string;
  version: number;
  caseId: string;
  childIds: string[];
  occurredOn: string;
  significant: boolean;
  text: string;
  reason: string | null;
  authorId: string;
}

type StoredVersion = NoteVersion & { recordedAt: string };

/** Case notes, every version a row the database will not let anyone change. */
@Injectable()
export class CaseNotesStore {
  async insert(tx: Transaction, v: NoteVersion): Promise<void> {
    await tx.query(
      `INSERT INTO case_note_versions (note_id, version, case_id, child_ids, occurred_on, significant, text, reason, author_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [v.noteId, v.version, v.caseId, v.childIds, v.occurredOn, v.significant, v.text, v.reason, v.authorId],
    );
  }

  /** The latest version of a note; the case row is locked by then, so two amendments of one note queue up. */
  async latest(tx: Transaction, caseId: string, noteId: string): Promise<NoteVersion | undefined> {
    const [latest] = await tx.query<NoteVersion>(
      `SELECT ${COLUMNS} FROM case_note_versions WHERE case_id = $1 AND note_id = $2 ORDER BY version DESC LIMIT 1`,
      [caseId, noteId],
    );
    return latest;
  }

  /** Every version of every note of the case (or one note), by when it happened, oldest first. */
  versions(tx: Transaction, caseId: string, noteId?: string): Promise<StoredVersion[]> {
    return tx.query(
      `SELECT ${COLUMNS}, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt"
         FROM case_note_versions WHERE case_id = $1 AND ($2::uuid IS NULL OR note_id = $2)
        ORDER BY min(occurred_on) OVER (PARTITION BY note_id), min(recorded_at) OVER (PARTITION BY note_id), note_id, version`,
      [caseId, noteId ?? null],
    );
  }
}

const COLUMNS = `note_id AS "noteId", version, case_id AS "caseId", child_ids AS "childIds", to_char(occurred_on, 'YYYY-MM-DD') AS "occurredOn",
  significant, text, reason, author_id AS "authorId"`;
