import { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { MixedList, EntitySchema } from 'typeorm';

/**
 * Each service owns its own database and its migrations; the schema is never synchronised from
 * entities. Migrations run at start-up (and by `npm run migrate`), inside one transaction each.
 */
export function databaseOptions(
  url: string,
  migrations: MixedList<Function>,
  entities: MixedList<Function | string | EntitySchema> = [],
): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
    // Keep trying while Postgres restarts; a service that gives up on start would need a babysitter.
    retryAttempts: 30,
    retryDelay: 1000,
  };
}

/**
 * Rows returned by a statement with RETURNING. TypeORM's Postgres driver answers UPDATE and DELETE
 * with `[rows, rowCount]` but INSERT and SELECT with the rows alone; callers should not care.
 */
export async function returningRows<T>(manager: { query(sql: string, parameters?: unknown[]): Promise<unknown> }, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await manager.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
