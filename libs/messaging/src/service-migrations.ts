import { AuditLog1764100000050 } from '@plo/platform';
import {
  DeadLetterCouncils1764100000420,
  MessagingTables1764100000000,
  OutboxBatchLines1764100000410,
  OutboxBatches1764100000400,
} from './messaging.migration';

type Migration = Function;

/** The libraries' own tables every service has: the audit log, the outbox, the inbox's claims and the dead letters. */
const LIBRARY_MIGRATIONS: Migration[] = [
  MessagingTables1764100000000,
  AuditLog1764100000050,
  OutboxBatches1764100000400,
  OutboxBatchLines1764100000410,
  DeadLetterCouncils1764100000420,
];

/**
 * A service's migrations: the libraries' and its own, in the order of the timestamps their names end
 * with, which is the order they were written in and must run in.
 */
export function serviceMigrations(own: Migration[]): Migration[] {
  const timestamp = (migration: Migration) => Number(/(\d{13})$/.exec(migration.name)?.[1] ?? NaN);
  const all = [...LIBRARY_MIGRATIONS, ...own];
  for (const migration of all) {
    if (Number.isNaN(timestamp(migration))) throw new Error(`migration ${migration.name} does not end with its 13-digit timestamp`);
  }
  return all.sort((a, b) => timestamp(a) - timestamp(b));
}
