import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';

/** Teams' service managers (keyed by council and team) and people's e-mail addresses, each row owned by one council. */
@Injectable()
export class DirectoryStore {
  /** Sets the service manager of the council's team (team ids are each council's own). */
  async setTeam(tx: Transaction, teamId: string, serviceManagerId: string, councilId: string): Promise<void> {
    await tx.query(
      `INSERT INTO team_directory (team_id, service_manager_id, council_id) VALUES ($1, $2, $3)
       ON CONFLICT (council_id, team_id) DO UPDATE SET service_manager_id = EXCLUDED.service_manager_id, updated_at = now()`,
      [teamId, serviceManagerId, councilId],
    );
  }

  teams(tx: Transaction, councilId: string) {
    return tx.query(
      `SELECT team_id AS "teamId", service_manager_id AS "serviceManagerId" FROM team_directory WHERE council_id = $1 ORDER BY team_id`,
      [councilId],
    );
  }

  /** Sets the person's address; false if the person belongs to another council. */
  async setPerson(
    tx: Transaction,
    person: { personId: string; email: string; displayName: string | null },
    councilId: string,
  ): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO people (person_id, email, display_name, council_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id) DO UPDATE SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, council_id = EXCLUDED.council_id
        WHERE people.council_id IS NULL OR people.council_id = EXCLUDED.council_id
       RETURNING person_id`,
      [person.personId, person.email, person.displayName, councilId],
    );
    return rows.length > 0;
  }
}
